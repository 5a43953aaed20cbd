using System.Text.Json;
using Csms.Ocpp.Commands;
using static Csms.Ocpp.Tests.Commands.Translated;

namespace Csms.Ocpp.Tests.Commands;

/// <summary>The commands are what the REST API binds: camelCase JSON in, with required fields enforced.</summary>
public class CommandJsonTests
{
    [Fact]
    public void A_remote_start_with_a_charging_profile_reads_from_camelCase_JSON()
    {
        const string Json = """
            {"idToken":"04A1B2C3","evseId":1,"remoteStartId":5,
             "chargingProfile":{"id":1,"stackLevel":0,"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Relative",
               "chargingSchedules":[{"chargingRateUnit":"A","chargingSchedulePeriods":[{"startPeriod":0,"limit":16}]}]}}
            """;

        var command = JsonSerializer.Deserialize<RemoteStartCommand>(Json, JsonSerializerOptions.Web)!;

        Assert.Equal(16m, command.ChargingProfile!.ChargingSchedules[0].ChargingSchedulePeriods[0].Limit);
        Assert.Equal(5, Single(command, OcppVersion.V21, "RequestStartTransaction")["remoteStartId"].Int());
    }

    [Fact]
    public void A_command_without_a_required_field_does_not_read() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<RemoteStopCommand>("{}", JsonSerializerOptions.Web));

    [Fact]
    public void Data_transfer_data_reads_as_any_JSON()
    {
        var command = JsonSerializer.Deserialize<DataTransferCommand>("""{"vendorId":"com.acme","data":{"a":[1,2]}}""", JsonSerializerOptions.Web)!;

        Assert.Equal("""{"a":[1,2]}""", Single(command, OcppVersion.V16, "DataTransfer")["data"].Text());
    }
}
