using Csms.Ocpp.Commands;
using static Csms.Ocpp.Tests.Commands.Translated;

namespace Csms.Ocpp.Tests.Commands;

public class TriggerMessageTests
{
    [Fact]
    public void TriggerMessage_for_a_16_station_names_the_connector()
    {
        var payload = Single(new TriggerMessageCommand { RequestedMessage = "MeterValues", EvseId = 2 }, OcppVersion.V16, "TriggerMessage");

        Assert.Equal("MeterValues", payload["requestedMessage"].Text());
        Assert.Equal(2, payload["connectorId"].Int());
    }

    [Theory]
    [InlineData("DiagnosticsStatusNotification", "TriggerMessage", "DiagnosticsStatusNotification")]
    [InlineData("FirmwareStatusNotification", "TriggerMessage", "FirmwareStatusNotification")]
    [InlineData("LogStatusNotification", "ExtendedTriggerMessage", "LogStatusNotification")]
    [InlineData("SignedFirmwareStatusNotification", "ExtendedTriggerMessage", "FirmwareStatusNotification")]
    [InlineData("SignChargingStationCertificate", "ExtendedTriggerMessage", "SignChargePointCertificate")]
    [InlineData("signchargepointcertificate", "ExtendedTriggerMessage", "SignChargePointCertificate")]
    public void TriggerMessage_for_a_16_station_uses_the_security_extension_for_its_messages(string requested, string action, string message) =>
        Assert.Equal(message, Single(new TriggerMessageCommand { RequestedMessage = requested }, OcppVersion.V16, action)["requestedMessage"].Text());

    [Theory]
    [InlineData(OcppVersion.V201, "DiagnosticsStatusNotification", "LogStatusNotification")]
    [InlineData(OcppVersion.V21, "DiagnosticsStatusNotification", "LogStatusNotification")]
    [InlineData(OcppVersion.V201, "SignChargePointCertificate", "SignChargingStationCertificate")]
    [InlineData(OcppVersion.V21, "SignedFirmwareStatusNotification", "FirmwareStatusNotification")]
    [InlineData(OcppVersion.V201, "TransactionEvent", "TransactionEvent")]
    [InlineData(OcppVersion.V21, "SignV2G20Certificate", "SignV2G20Certificate")]
    public void TriggerMessage_for_a_2x_station_uses_the_2x_name(OcppVersion version, string requested, string message) =>
        Assert.Equal(message, Single(new TriggerMessageCommand { RequestedMessage = requested }, version, "TriggerMessage")["requestedMessage"].Text());

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void TriggerMessage_of_a_StatusNotification_for_a_2x_station_names_evse_and_connector(OcppVersion version)
    {
        var payload = Single(new TriggerMessageCommand { RequestedMessage = "StatusNotification", EvseId = 1, ConnectorId = 2 }, version, "TriggerMessage");

        Assert.Equal(1, payload["evse"]!["id"].Int());
        Assert.Equal(2, payload["evse"]!["connectorId"].Int());
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void TriggerMessage_of_a_StatusNotification_without_a_connector_is_not_expressible_in_2x(OcppVersion version) =>
        Problem(new TriggerMessageCommand { RequestedMessage = "StatusNotification", EvseId = 1 }, version, "connectorId");

    [Theory]
    [InlineData("TransactionEvent")]
    [InlineData("SignV2GCertificate")]
    [InlineData("PublishFirmwareStatusNotification")]
    public void TriggerMessage_of_a_2x_only_message_is_not_expressible_in_16(string requested) =>
        Problem(new TriggerMessageCommand { RequestedMessage = requested }, OcppVersion.V16, "requestedMessage");

    [Fact]
    public void TriggerMessage_of_a_custom_trigger_is_expressible_in_21_only()
    {
        var command = new TriggerMessageCommand { RequestedMessage = "CustomTrigger", CustomTrigger = "AcmeDiagnostics" };

        Problem(command, OcppVersion.V201, "requestedMessage");
        Assert.Equal("AcmeDiagnostics", Single(command, OcppVersion.V21, "TriggerMessage")["customTrigger"].Text());
    }

    [Fact]
    public void TriggerMessage_of_a_custom_trigger_without_its_name_is_not_expressible() =>
        Problem(new TriggerMessageCommand { RequestedMessage = "CustomTrigger" }, OcppVersion.V21, "customTrigger");

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void TriggerMessage_of_an_unknown_message_is_not_expressible(OcppVersion version) =>
        Problem(new TriggerMessageCommand { RequestedMessage = "Authorize" }, version, "requestedMessage");
}
