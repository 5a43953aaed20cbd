using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>
/// Ask the station to send a message now: 1.6 TriggerMessage, or the 1.6 security extension's ExtendedTriggerMessage
/// for the messages only that extension has; 2.x TriggerMessage. <see cref="RequestedMessage"/> takes either version's
/// name (case-insensitive):
/// <list type="bullet">
/// <item>BootNotification, Heartbeat, MeterValues, StatusNotification, FirmwareStatusNotification: the same everywhere.</item>
/// <item>DiagnosticsStatusNotification: 1.6 TriggerMessage; 2.x LogStatusNotification, the status of the GetLog upload that
/// replaced GetDiagnostics (2.x N01).</item>
/// <item>LogStatusNotification: 1.6 ExtendedTriggerMessage (status of the extension's GetLog); 2.x TriggerMessage.</item>
/// <item>SignedFirmwareStatusNotification: 1.6 ExtendedTriggerMessage FirmwareStatusNotification, which triggers
/// SignedFirmwareStatusNotification (security white paper, MessageTriggerEnumType); 2.x FirmwareStatusNotification.</item>
/// <item>SignChargingStationCertificate or its 1.6 name SignChargePointCertificate: 1.6 ExtendedTriggerMessage; 2.x TriggerMessage.</item>
/// <item>TransactionEvent, SignV2GCertificate, SignCombinedCertificate, PublishFirmwareStatusNotification: 2.x only.</item>
/// <item>SignV2G20Certificate, CustomTrigger (with <see cref="CustomTrigger"/>): 2.1 only.</item>
/// </list>
/// </summary>
public sealed record TriggerMessageCommand : OperatorCommand
{
    public required string RequestedMessage { get; init; }

    /// <summary>The EVSE the message is about (the 1.6 connectorId); all when omitted (F06.FR.11).</summary>
    public int? EvseId { get; init; }

    /// <summary>2.x: the connector within the EVSE, required for StatusNotification (F06.FR.13). 1.6: the connector number when <see cref="EvseId"/> is omitted.</summary>
    public int? ConnectorId { get; init; }

    /// <summary>2.1 only: the message to trigger when <see cref="RequestedMessage"/> is CustomTrigger.</summary>
    public string? CustomTrigger { get; init; }

    // neutral name -> the 1.6 message (null: none), whether 1.6 needs ExtendedTriggerMessage, the 2.x message, whether only 2.1 has it
    private static readonly Dictionary<string, (string? V16, bool Extended, string? TwoX, bool V21Only)> Messages =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["BootNotification"] = ("BootNotification", false, "BootNotification", false),
            ["Heartbeat"] = ("Heartbeat", false, "Heartbeat", false),
            ["MeterValues"] = ("MeterValues", false, "MeterValues", false),
            ["StatusNotification"] = ("StatusNotification", false, "StatusNotification", false),
            ["FirmwareStatusNotification"] = ("FirmwareStatusNotification", false, "FirmwareStatusNotification", false),
            ["DiagnosticsStatusNotification"] = ("DiagnosticsStatusNotification", false, "LogStatusNotification", false),
            ["LogStatusNotification"] = ("LogStatusNotification", true, "LogStatusNotification", false),
            ["SignedFirmwareStatusNotification"] = ("FirmwareStatusNotification", true, "FirmwareStatusNotification", false),
            ["SignChargingStationCertificate"] = ("SignChargePointCertificate", true, "SignChargingStationCertificate", false),
            ["SignChargePointCertificate"] = ("SignChargePointCertificate", true, "SignChargingStationCertificate", false),
            ["TransactionEvent"] = (null, false, "TransactionEvent", false),
            ["SignV2GCertificate"] = (null, false, "SignV2GCertificate", false),
            ["SignCombinedCertificate"] = (null, false, "SignCombinedCertificate", false),
            ["PublishFirmwareStatusNotification"] = (null, false, "PublishFirmwareStatusNotification", false),
            ["SignV2G20Certificate"] = (null, false, "SignV2G20Certificate", true),
            ["CustomTrigger"] = (null, false, "CustomTrigger", true),
        };

    internal override IReadOnlyList<OcppCall> ToCalls(OcppVersion version)
    {
        if (RequestedMessage is null || !Messages.TryGetValue(RequestedMessage, out var message))
        {
            throw new CommandNotExpressibleException(
                $"requestedMessage '{RequestedMessage}' is not a message a station can be triggered to send; use one of {string.Join(", ", Messages.Keys)}.");
        }
        var isCustom = message.TwoX == "CustomTrigger";
        if (CustomTrigger is not null && !isCustom)
        {
            throw new CommandNotExpressibleException("customTrigger is only used with requestedMessage CustomTrigger: omit it.");
        }

        if (version == OcppVersion.V16)
        {
            if (message.V16 is null)
            {
                throw new CommandNotExpressibleException(
                    $"requestedMessage {message.TwoX} cannot be expressed in OCPP 1.6, which has no such message"
                    + (message.TwoX == "TransactionEvent" ? ": trigger MeterValues for the transaction's connector instead." : "."));
            }
            // the security extension renamed its trigger to avoid clashing with core TriggerMessage (white paper section 5.5)
            var action = message.Extended ? "ExtendedTriggerMessage" : "TriggerMessage";
            return [new OcppCall(action, new JsonObject { ["requestedMessage"] = message.V16 }
                .Put("connectorId", StationAddress.Connector16(EvseId, ConnectorId)))];
        }

        if (message.V21Only && version != OcppVersion.V21)
        {
            throw new CommandNotExpressibleException(
                $"requestedMessage {message.TwoX} is new in OCPP 2.1 and cannot be expressed in OCPP {version.Number()}.");
        }
        if (message.TwoX == "StatusNotification" && ConnectorId is null)
        {
            throw new CommandNotExpressibleException(
                $"connectorId is required to trigger StatusNotification in OCPP {version.Number()} (F06.FR.13): give evseId and connectorId "
                + "(connectorId 1 for an EVSE with one connector).");
        }
        if (isCustom && string.IsNullOrEmpty(CustomTrigger))
        {
            throw JsonPayload.Required("customTrigger", "the name of the message to trigger when requestedMessage is CustomTrigger");
        }
        return [new OcppCall("TriggerMessage", new JsonObject()
            .Put("evse", StationAddress.Evse(EvseId, ConnectorId, version, "TriggerMessage"))
            .Put("requestedMessage", message.TwoX)
            .Put("customTrigger", CustomTrigger))];
    }
}
