using System.Globalization;
using System.Text;
using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Interfaces.Transactions;

namespace Csms.Grains.Stations;

/// <summary>What both versions' handlers record the same way, once their message is read.</summary>
public static class StationRecords
{
    /// <summary>Registers a boot: decides the registration, remembers the boot info; returns the decision and its interval.</summary>
    public static async Task<(RegistrationStatus Decision, int Interval)> RecordBootAsync(this IStationContext station, BootInfo boot)
    {
        var decision = await station.DecideRegistrationAsync();
        if (station.CertificateSerial is { } certified && boot.SerialNumber is { } serial
            && !string.Equals(certified, serial, StringComparison.OrdinalIgnoreCase))
        {
            // security profile 3 (2.0.1 A00.FR.405): the certificate names the station by its serial number; a boot
            // that names another is not this station's
            decision = RegistrationStatus.Rejected;
            station.AddEvent("Security", $"BootNotification serial number '{serial}' is not the one in the station's certificate ('{certified}'): rejected");
        }
        var s = station.State;
        s.Registration = decision;
        s.Boot = boot;
        if (decision == RegistrationStatus.Accepted)
        {
            s.TriggeredActions.Clear();
        }
        var reason = boot.Reason is null ? "" : $", reason {boot.Reason}";
        station.AddEvent("Boot", $"{boot.Vendor} {boot.Model}, firmware {boot.FirmwareVersion ?? "?"}{reason}: {decision}");
        var registration = station.Options.Registration;
        return (decision, decision == RegistrationStatus.Accepted ? registration.HeartbeatIntervalSeconds : registration.RetryIntervalSeconds);
    }

    /// <summary>
    /// Applies a transaction message on its EVSE, and keeps its notable moments as station events (kind "Transaction",
    /// detail "{id}: …") so a transaction can be shown with its events. Periodic and clock-aligned meter values are not
    /// events: they are in the meter values.
    /// </summary>
    /// <summary>
    /// Whether a session wants a share of its site's power after this message, or null when the message does not say.
    /// An ended transaction does not; 2.x chargingState Charging, SuspendedEVSE (the EVSE offers no energy, e.g. held at
    /// 0 A by the site: it would charge if allowed) and SuspendedEV (the EV paused: it keeps its minimum so it can
    /// resume, see <see cref="IStationContext.NotifySite"/>) do; EVConnected (not authorized or not started yet) and
    /// Idle do not. A start without chargingState (1.6 StartTransaction) does; an update without it (1.6 MeterValues;
    /// 2.x sends chargingState only when it changes, E02.FR.13) leaves the session as it was.
    /// </summary>
    public static bool? SiteCharging(TransactionEventData data) => data.Kind switch
    {
        TransactionEventKind.Ended => false,
        _ => data.ChargingState switch
        {
            "Charging" or "SuspendedEV" or "SuspendedEVSE" => true,
            "EVConnected" or "Idle" => false,
            _ => data.Kind == TransactionEventKind.Started ? true : null,
        },
    };

    public static async Task<TransactionEventOutcome> ApplyTransactionEventAsync(this IStationContext station, int evseId, TransactionEventData data)
    {
        data = data with { ReceivedAt = data.ReceivedAt ?? station.Now };
        var outcome = await station.Evse(evseId).ApplyTransactionEvent(data);
        if (outcome.Result != TransactionEventResult.Duplicate)
        {
            station.NotifySite(evseId, SiteCharging(data), data.Samples, data.Timestamp, data.ChargingState == "SuspendedEV");
        }
        if (outcome.Result != TransactionEventResult.Duplicate
            && !(data.Kind == TransactionEventKind.Updated && data.TriggerReason is null or "MeterValuePeriodic" or "MeterValueClock"))
        {
            var detail = new StringBuilder($"{data.TransactionId}: {data.Kind}");
            detail.Append(CultureInfo.InvariantCulture, $" on EVSE {evseId}");
            if (data.TriggerReason is { } trigger)
            {
                detail.Append(CultureInfo.InvariantCulture, $", {trigger}");
            }
            if (data.ChargingState is { } charging)
            {
                detail.Append(CultureInfo.InvariantCulture, $", {charging}");
            }
            if (data.StoppedReason is { } reason)
            {
                detail.Append(CultureInfo.InvariantCulture, $", stopped: {reason}");
            }
            if (data.SeqNo is { } seqNo)
            {
                detail.Append(CultureInfo.InvariantCulture, $", seqNo {seqNo}");
            }
            if (data.Offline)
            {
                detail.Append(", offline");
            }
            detail.Append(CultureInfo.InvariantCulture, $" at {data.Timestamp:O}");
            station.AddEvent("Transaction", detail.ToString());
        }
        return outcome;
    }

    /// <summary>
    /// Remembers which EVSE an open transaction is on. An EVSE runs one transaction at a time, so any other one still
    /// listed for it has ended without us hearing of it (the EVSE grain has closed and flagged it).
    /// </summary>
    public static void RecordOpenTransaction(this IStationContext station, string transactionId, int evseId)
    {
        var s = station.State;
        foreach (var stale in s.OpenTransactions.Where(t => t.Value == evseId && t.Key != transactionId).Select(t => t.Key).ToArray())
        {
            station.ForgetTransaction(stale);
        }
        s.OpenTransactions[transactionId] = evseId;
        station.MarkDirty();
    }

    /// <summary>The transaction is no longer open here (ended, or superseded on its EVSE).</summary>
    public static void ForgetTransaction(this IStationContext station, string transactionId)
    {
        var s = station.State;
        s.OpenTransactions.Remove(transactionId);
        foreach (var key in s.StartKeys.Where(k => k.Value == transactionId).Select(k => k.Key).ToArray())
        {
            s.StartKeys.Remove(key);
        }
        station.MarkDirty();
    }

    /// <summary>True when the vendor is one we accept DataTransfer from; everything else is UnknownVendorId.</summary>
    public static bool RecordDataTransfer(this IStationContext station, string vendorId, string? messageId)
    {
        var known = station.Options.DataTransferVendors.Contains(vendorId, StringComparer.Ordinal);
        if (known)
        {
            station.AddEvent("DataTransfer", $"{vendorId} {messageId}".TrimEnd());
        }
        return known;
    }

    public static void RecordFirmwareStatus(this IStationContext station, string status, int? requestId)
    {
        station.State.FirmwareStatus = status;
        station.AddEvent("FirmwareStatus", WithRequest(status, requestId));
    }

    public static void RecordLogStatus(this IStationContext station, string status, int? requestId) =>
        station.AddEvent("LogStatus", WithRequest(status, requestId));

    public static void RecordSecurityEvent(this IStationContext station, string type, DateTimeOffset timestamp, string? techInfo) =>
        station.AddEvent("SecurityEvent", $"{type} at {timestamp:O} {techInfo}".TrimEnd());

    private static string WithRequest(string status, int? requestId) => requestId is null ? status : $"{status} (request {requestId})";
}
