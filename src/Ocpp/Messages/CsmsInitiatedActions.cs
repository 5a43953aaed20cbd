using System.Collections.Frozen;

namespace Csms.Ocpp.Messages;

/// <summary>
/// The actions a CSMS sends to a station, per version (1.6 section 3 "Operations Initiated by Central System" plus the
/// security extension's; 2.0.1 / 2.1 Part 2, the messages whose use cases say "CSMS sends"). DataTransfer goes both ways.
/// </summary>
public static class CsmsInitiatedActions
{
    private static readonly FrozenSet<string> V16 = FrozenSet.Create(StringComparer.Ordinal,
        "CancelReservation", "ChangeAvailability", "ChangeConfiguration", "ClearCache", "ClearChargingProfile", "DataTransfer",
        "GetCompositeSchedule", "GetConfiguration", "GetDiagnostics", "GetLocalListVersion", "RemoteStartTransaction",
        "RemoteStopTransaction", "ReserveNow", "Reset", "SendLocalList", "SetChargingProfile", "TriggerMessage", "UnlockConnector",
        "UpdateFirmware",
        // security extension (OCPP 1.6 security whitepaper edition 3)
        "CertificateSigned", "DeleteCertificate", "ExtendedTriggerMessage", "GetInstalledCertificateIds", "GetLog",
        "InstallCertificate", "SignedUpdateFirmware");

    private static readonly string[] V201List =
    [
        "CancelReservation", "CertificateSigned", "ChangeAvailability", "ClearCache", "ClearChargingProfile", "ClearDisplayMessage",
        "ClearVariableMonitoring", "CostUpdated", "CustomerInformation", "DataTransfer", "DeleteCertificate", "GetBaseReport",
        "GetChargingProfiles", "GetCompositeSchedule", "GetDisplayMessages", "GetInstalledCertificateIds", "GetLocalListVersion",
        "GetLog", "GetMonitoringReport", "GetReport", "GetTransactionStatus", "GetVariables", "InstallCertificate", "PublishFirmware",
        "RequestStartTransaction", "RequestStopTransaction", "ReserveNow", "Reset", "SendLocalList", "SetChargingProfile",
        "SetDisplayMessage", "SetMonitoringBase", "SetMonitoringLevel", "SetNetworkProfile", "SetVariableMonitoring", "SetVariables",
        "TriggerMessage", "UnlockConnector", "UnpublishFirmware", "UpdateFirmware",
    ];

    private static readonly FrozenSet<string> V201 = V201List.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> V21 = V201List.Concat(
    [
        "AFRRSignal", "AdjustPeriodicEventStream", "ChangeTransactionTariff", "ClearDERControl", "ClearTariffs", "GetDERControl",
        "GetPeriodicEventStream", "GetTariffs", "NotifyAllowedEnergyTransfer", "NotifyWebPaymentStarted", "RequestBatterySwap",
        "SetDERControl", "SetDefaultTariff", "UpdateDynamicSchedule", "UsePriorityCharging",
    ]).ToFrozenSet(StringComparer.Ordinal);

    public static bool Contains(OcppVersion version, string action) => For(version).Contains(action);

    public static IReadOnlyCollection<string> For(OcppVersion version) => version switch
    {
        OcppVersion.V16 => V16,
        OcppVersion.V201 => V201,
        _ => V21,
    };
}
