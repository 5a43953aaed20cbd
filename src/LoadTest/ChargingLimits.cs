using System.Globalization;
using System.Text.Json;
using Csms.Ocpp;

namespace Csms.LoadTest;

/// <summary>
/// The charging profiles a virtual station holds for its one EVSE, and the power limit they impose at a moment.
/// Read from the SetChargingProfile payloads of 1.6 (<c>csChargingProfiles</c>) and 2.x (<c>chargingProfile</c>).
/// Composite rules: within a purpose the highest stack level that is valid and has a period at that moment wins
/// (K01.FR.17); a TxProfile for the running transaction overrides the TxDefaultProfile; the station maximum caps both.
/// Amperes are per phase (K01.FR.51) at 230 V, three phases unless the period says otherwise (K01.FR.49).
/// </summary>
public sealed class ChargingLimits
{
    /// <summary>What the hardware can deliver: three phases of 16 A at 230 V.</summary>
    public const double HardwareMaxWatts = 3 * 16 * 230;

    private const double LineVoltage = 230;

    private readonly Lock _lock = new();
    private readonly List<Profile> _profiles = [];

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _profiles.Count;
            }
        }
    }

    /// <summary>Installs a profile; answers the SetChargingProfile status ("Accepted" or "Rejected").</summary>
    /// <param name="request">The whole SetChargingProfile request payload.</param>
    /// <param name="active">The running transaction, or null when idle.</param>
    public string Set(JsonElement request, OcppVersion version, ActiveTransaction? active, DateTimeOffset now)
    {
        var v16 = version == OcppVersion.V16;
        var evseId = request.TryGetProperty(v16 ? "connectorId" : "evseId", out var e) ? e.GetInt32() : 0;
        if (!request.TryGetProperty(v16 ? "csChargingProfiles" : "chargingProfile", out var body) || evseId is < 0 or > 1)
        {
            return "Rejected"; // K01.FR.28: an EVSE this station does not have
        }
        var profile = Parse(body, v16, now);
        if (profile is null)
        {
            return "Rejected";
        }
        switch (profile.Purpose)
        {
            case Purpose.StationMax when evseId != 0:
            case Purpose.Tx when evseId == 0: // K01.FR.16
            case Purpose.Tx when active is null: // K01.FR.09; 1.6 §5.16.3 alike
            case Purpose.Tx when profile.TransactionId is { } t && t != active.CsmsId: // K01.FR.33
                return "Rejected";
            case Purpose.Tx:
                profile = profile with { TransactionId = active!.Key };
                break;
        }
        lock (_lock)
        {
            // K01.FR.05 (same id) and 1.6 §3.13.2 (same stack level and purpose) replace the existing profile
            _profiles.RemoveAll(p => p.Id == profile.Id || (p.StackLevel == profile.StackLevel && p.Purpose == profile.Purpose));
            _profiles.Add(profile);
        }
        return "Accepted";
    }

    /// <summary>A profile given with a remote start (F01.FR.10, 1.6 RemoteStartTransaction.chargingProfile).</summary>
    public bool SetForTransaction(JsonElement profileBody, OcppVersion version, string transactionKey, DateTimeOffset now)
    {
        var profile = Parse(profileBody, version == OcppVersion.V16, now);
        if (profile is not { Purpose: Purpose.Tx })
        {
            return false; // F01.FR.09: it must be a TxProfile
        }
        lock (_lock)
        {
            _profiles.RemoveAll(p => p.Id == profile.Id);
            _profiles.Add(profile with { TransactionId = transactionKey });
        }
        return true;
    }

    /// <summary>Removes the profiles a ClearChargingProfile request names; "Accepted" when any matched, else "Unknown".</summary>
    public string Clear(JsonElement request, OcppVersion version)
    {
        int? id;
        JsonElement criteria;
        if (version == OcppVersion.V16)
        {
            id = request.TryGetProperty("id", out var i) ? i.GetInt32() : null;
            criteria = request;
        }
        else
        {
            id = request.TryGetProperty("chargingProfileId", out var i) ? i.GetInt32() : null;
            criteria = request.TryGetProperty("chargingProfileCriteria", out var c) ? c : default;
        }
        var purpose = criteria.ValueKind == JsonValueKind.Object && criteria.TryGetProperty("chargingProfilePurpose", out var p)
            ? PurposeOf(p.GetString()) : (Purpose?)null;
        var stackLevel = criteria.ValueKind == JsonValueKind.Object && criteria.TryGetProperty("stackLevel", out var s) ? s.GetInt32() : (int?)null;
        int removed;
        lock (_lock)
        {
            removed = _profiles.RemoveAll(x => (id is null || x.Id == id) && (purpose is null || x.Purpose == purpose)
                && (stackLevel is null || x.StackLevel == stackLevel));
        }
        return removed > 0 ? "Accepted" : "Unknown";
    }

    /// <summary>A TxProfile lives only as long as its transaction.</summary>
    public void TransactionEnded(string transactionKey)
    {
        lock (_lock)
        {
            _profiles.RemoveAll(p => p.Purpose == Purpose.Tx && p.TransactionId == transactionKey);
        }
    }

    /// <summary>The power limit in watts at <paramref name="now"/>, or null when no profile limits it.</summary>
    /// <param name="transactionKey">The station's own key of the running transaction, or null when idle.</param>
    public double? LimitWatts(DateTimeOffset now, string? transactionKey, DateTimeOffset? transactionStart)
    {
        lock (_lock)
        {
            var stationMax = Winner(Purpose.StationMax, now, transactionKey, transactionStart);
            var tx = transactionKey is null ? null : Winner(Purpose.Tx, now, transactionKey, transactionStart);
            tx ??= transactionKey is null ? null : Winner(Purpose.TxDefault, now, transactionKey, transactionStart);
            return (stationMax, tx) switch
            {
                (null, null) => null,
                ({ } a, null) => a,
                (null, { } b) => b,
                ({ } a, { } b) => Math.Min(a, b),
            };
        }
    }

    /// <summary>What the car draws: as much as the hardware gives, within the limit.</summary>
    public double PowerWatts(DateTimeOffset now, string? transactionKey, DateTimeOffset? transactionStart) =>
        Math.Max(0, Math.Min(HardwareMaxWatts, LimitWatts(now, transactionKey, transactionStart) ?? HardwareMaxWatts));

    private double? Winner(Purpose purpose, DateTimeOffset now, string? transactionKey, DateTimeOffset? transactionStart)
    {
        foreach (var profile in _profiles.Where(p => p.Purpose == purpose).OrderByDescending(p => p.StackLevel))
        {
            if (purpose == Purpose.Tx && profile.TransactionId != transactionKey)
            {
                continue;
            }
            if (profile.LimitWatts(now, transactionStart) is { } watts)
            {
                return watts;
            }
        }
        return null;
    }

    private static Profile? Parse(JsonElement body, bool v16, DateTimeOffset now)
    {
        try
        {
            var schedule = body.GetProperty("chargingSchedule");
            if (schedule.ValueKind == JsonValueKind.Array)
            {
                schedule = schedule[0]; // K01.FR.34: one schedule unless ISO 15118
            }
            var periods = new List<Period>();
            foreach (var period in schedule.GetProperty("chargingSchedulePeriod").EnumerateArray())
            {
                periods.Add(new Period(
                    period.GetProperty("startPeriod").GetInt32(),
                    period.TryGetProperty("limit", out var limit) ? limit.GetDouble() : null,
                    period.TryGetProperty("numberPhases", out var phases) ? phases.GetInt32() : 3));
            }
            var purpose = PurposeOf(body.GetProperty("chargingProfilePurpose").GetString());
            if (purpose is null || periods.Count == 0)
            {
                return null;
            }
            return new Profile(
                body.GetProperty(v16 ? "chargingProfileId" : "id").GetInt32(),
                body.GetProperty("stackLevel").GetInt32(),
                purpose.Value,
                body.GetProperty("chargingProfileKind").GetString() ?? "Absolute",
                body.TryGetProperty("recurrencyKind", out var recurrency) ? recurrency.GetString() : null,
                Time(body, "validFrom"),
                Time(body, "validTo"),
                Time(schedule, "startSchedule"),
                schedule.TryGetProperty("duration", out var duration) ? duration.GetInt32() : null,
                schedule.GetProperty("chargingRateUnit").GetString() == "A",
                [.. periods.OrderBy(p => p.Start)],
                body.TryGetProperty("transactionId", out var t) ? (t.ValueKind == JsonValueKind.Number ? t.GetInt32().ToString(CultureInfo.InvariantCulture) : t.GetString()) : null,
                now);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t : null;

    private static Purpose? PurposeOf(string? name) => name switch
    {
        "ChargePointMaxProfile" or "ChargingStationMaxProfile" => Purpose.StationMax,
        "TxDefaultProfile" => Purpose.TxDefault,
        "TxProfile" => Purpose.Tx,
        _ => null,
    };

    /// <summary>The running transaction: the station's own key for it, and the id the CSMS knows it by (1.6: once StartTransaction is answered).</summary>
    public sealed record ActiveTransaction(string Key, string? CsmsId);

    private enum Purpose
    {
        StationMax,
        TxDefault,
        Tx,
    }

    private sealed record Period(int Start, double? Limit, int Phases);

    private sealed record Profile(
        int Id, int StackLevel, Purpose Purpose, string Kind, string? Recurrency, DateTimeOffset? ValidFrom, DateTimeOffset? ValidTo,
        DateTimeOffset? StartSchedule, int? Duration, bool Amperes, IReadOnlyList<Period> Periods, string? TransactionId, DateTimeOffset Received)
    {
        public double? LimitWatts(DateTimeOffset now, DateTimeOffset? transactionStart)
        {
            if ((ValidFrom is { } from && now < from) || (ValidTo is { } to && now >= to)) // K01.FR.36, K01.FR.37
            {
                return null;
            }
            // Relative schedules run from the start of the transaction (K01.FR.41/42); Absolute and Recurring from startSchedule
            var origin = Kind == "Relative" ? transactionStart ?? Received : StartSchedule ?? Received;
            var elapsed = (now - origin).TotalSeconds;
            if (Kind == "Recurring")
            {
                var cycle = Recurrency == "Weekly" ? 7 * 86400 : 86400;
                elapsed = ((elapsed % cycle) + cycle) % cycle;
            }
            if (elapsed < 0 || (Duration is { } d && elapsed >= d)) // K01.FR.30, K01.FR.11
            {
                return null;
            }
            // K01.FR.12: a period lasts until the next one starts
            var active = Periods.LastOrDefault(p => p.Start <= elapsed);
            return active?.Limit is not { } limit ? null : Amperes ? limit * LineVoltage * active.Phases : limit;
        }
    }
}
