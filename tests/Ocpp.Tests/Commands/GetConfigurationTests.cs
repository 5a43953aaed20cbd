using Csms.Ocpp.Commands;
using static Csms.Ocpp.Tests.Commands.Translated;

namespace Csms.Ocpp.Tests.Commands;

public class GetConfigurationTests
{
    [Fact]
    public void GetConfiguration_for_a_16_station_sends_the_keys_as_given()
    {
        var payload = Single(new GetConfigurationCommand { Names = ["HeartbeatInterval", "AcmeLedBrightness"] }, OcppVersion.V16, "GetConfiguration");

        Assert.Equal(["HeartbeatInterval", "AcmeLedBrightness"], payload["key"]!.AsArray().Select(k => k.Text()));
    }

    [Fact]
    public void GetConfiguration_without_names_for_a_16_station_reads_every_key() =>
        Assert.Empty(Single(new GetConfigurationCommand(), OcppVersion.V16, "GetConfiguration"));

    [Fact]
    public void GetConfiguration_for_a_16_station_turns_known_2x_variables_into_their_16_keys()
    {
        var payload = Single(new GetConfigurationCommand
        {
            Names = ["OCPPCommCtrlr.HeartbeatInterval", "SampledDataCtrlr.TxUpdatedInterval", "OCPPCommCtrlr.MessageAttempts[TransactionEvent]"],
        }, OcppVersion.V16, "GetConfiguration");

        Assert.Equal(["HeartbeatInterval", "MeterValueSampleInterval", "TransactionMessageAttempts"], payload["key"]!.AsArray().Select(k => k.Text()));
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void GetConfiguration_for_a_2x_station_is_GetVariables_with_known_16_keys_translated(OcppVersion version)
    {
        var payload = Single(new GetConfigurationCommand { Names = ["MeterValueSampleInterval", "TransactionMessageAttempts"] }, version, "GetVariables");

        var data = payload["getVariableData"]!.AsArray();
        Assert.Equal("SampledDataCtrlr", data[0]!["component"]!["name"].Text());
        Assert.Equal("TxUpdatedInterval", data[0]!["variable"]!["name"].Text());
        Assert.Equal("OCPPCommCtrlr", data[1]!["component"]!["name"].Text());
        Assert.Equal("MessageAttempts", data[1]!["variable"]!["name"].Text());
        Assert.Equal("TransactionEvent", data[1]!["variable"]!["instance"].Text());
        Assert.Null(data[0]!["attributeType"]);
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void GetConfiguration_for_a_2x_station_addresses_components_on_an_EVSE_and_connector(OcppVersion version)
    {
        var payload = Single(new GetConfigurationCommand { Names = ["Connector[evse=1,connector=2,instance=left].ConnectorType", "EVSE[evse=1].Power"] },
            version, "GetVariables");

        var connector = payload["getVariableData"]![0]!["component"]!;
        Assert.Equal("Connector", connector["name"].Text());
        Assert.Equal("left", connector["instance"].Text());
        Assert.Equal(1, connector["evse"]!["id"].Int());
        Assert.Equal(2, connector["evse"]!["connectorId"].Int());
        Assert.Null(payload["getVariableData"]![1]!["component"]!["evse"]!["connectorId"]);
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void GetConfiguration_without_names_is_not_expressible_in_2x(OcppVersion version) =>
        Problem(new GetConfigurationCommand(), version, "names");

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void GetConfiguration_of_a_16_key_without_a_2x_equivalent_is_not_expressible_in_2x(OcppVersion version) =>
        Problem(new GetConfigurationCommand { Names = ["HeartbeatInterval", "AcmeLedBrightness"] }, version, "names[1]");

    [Fact]
    public void GetConfiguration_of_a_2x_variable_without_a_16_key_is_not_expressible_in_16() =>
        Problem(new GetConfigurationCommand { Names = ["OCPPCommCtrlr.OfflineThreshold"] }, OcppVersion.V16, "names[0]");

    [Theory]
    [InlineData("EVSE[evse=one].Power")]
    [InlineData("Connector[connector=2].ConnectorType")]
    [InlineData("OCPPCommCtrlr.Heartbeat Interval")]
    [InlineData("EVSE[evse=1.Power")]
    public void GetConfiguration_of_a_malformed_variable_name_is_not_expressible(string name) =>
        Problem(new GetConfigurationCommand { Names = [name] }, OcppVersion.V201, "names[0]");
}
