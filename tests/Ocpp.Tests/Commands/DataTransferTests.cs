using System.Text.Json.Nodes;
using Csms.Ocpp.Commands;
using static Csms.Ocpp.Tests.Commands.Translated;

namespace Csms.Ocpp.Tests.Commands;

public class DataTransferTests
{
    [Fact]
    public void DataTransfer_for_a_16_station_sends_JSON_data_as_its_serialized_text()
    {
        var payload = Single(new DataTransferCommand { VendorId = "com.acme", MessageId = "SetLed", Data = new JsonObject { ["color"] = "red", ["on"] = true } },
            OcppVersion.V16, "DataTransfer");

        Assert.Equal("com.acme", payload["vendorId"].Text());
        Assert.Equal("SetLed", payload["messageId"].Text());
        Assert.Equal("""{"color":"red","on":true}""", payload["data"].Text());
    }

    [Fact]
    public void DataTransfer_for_a_16_station_sends_string_data_as_is()
    {
        var payload = Single(new DataTransferCommand { VendorId = "com.acme", Data = JsonValue.Create("plain text") }, OcppVersion.V16, "DataTransfer");

        Assert.Equal("plain text", payload["data"].Text());
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void DataTransfer_for_a_2x_station_sends_the_JSON_data_unchanged_and_leaves_the_command_intact(OcppVersion version)
    {
        var command = new DataTransferCommand { VendorId = "com.acme", Data = new JsonObject { ["levels"] = new JsonArray(1, 2) } };

        var first = Single(command, version, "DataTransfer");
        var second = Single(command, version, "DataTransfer");

        Assert.Equal(2, first["data"]!["levels"]![1].Int());
        Assert.True(JsonNode.DeepEquals(first["data"], second["data"]));
        Assert.Null(command.Data!.Parent);
    }

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void DataTransfer_without_a_vendorId_is_not_expressible(OcppVersion version) =>
        Problem(new DataTransferCommand { VendorId = "" }, version, "vendorId");
}
