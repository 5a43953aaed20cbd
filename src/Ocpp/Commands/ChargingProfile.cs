using System.Globalization;
using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>
/// A charging profile in neutral form. 1.6 carries it as csChargingProfiles/chargingProfile with a single
/// chargingSchedule object and chargingProfileId; 2.x as chargingProfile with id and a chargingSchedule array
/// (1 to 3 schedules, more than one only for ISO 15118 sessions, K01.FR.34).
/// </summary>
public sealed record ChargingProfile
{
    public required int Id { get; init; }

    public required int StackLevel { get; init; }

    /// <summary>
    /// "ChargingStationMaxProfile" (or its 1.6 name "ChargePointMaxProfile"), "TxDefaultProfile", "TxProfile";
    /// 2.1 adds "PriorityCharging" and "LocalGeneration".
    /// </summary>
    public required string ChargingProfilePurpose { get; init; }

    /// <summary>"Absolute", "Recurring" or "Relative"; 2.1 adds "Dynamic".</summary>
    public required string ChargingProfileKind { get; init; }

    /// <summary>"Daily" or "Weekly", for a Recurring profile.</summary>
    public string? RecurrencyKind { get; init; }

    public DateTimeOffset? ValidFrom { get; init; }

    public DateTimeOffset? ValidTo { get; init; }

    /// <summary>The transaction a TxProfile applies to; must be an integer for a 1.6 station.</summary>
    public string? TransactionId { get; init; }

    public required IReadOnlyList<ChargingSchedule> ChargingSchedules { get; init; }

    internal const string TxProfile = "TxProfile";
    internal const string MaxProfile = "ChargingStationMaxProfile";
    internal const string ExternalConstraints = "ChargingStationExternalConstraints";

    private static readonly string[] Purposes =
        [MaxProfile, "TxDefaultProfile", TxProfile, ExternalConstraints, "PriorityCharging", "LocalGeneration"];

    private static readonly string[] Kinds = ["Absolute", "Recurring", "Relative", "Dynamic"];
    private static readonly string[] RecurrencyKinds = ["Daily", "Weekly"];

    /// <summary>The purpose in its neutral spelling (2.x names), accepting the 1.6 name of the station max profile.</summary>
    internal static string NeutralPurpose(string? purpose, OcppVersion version, string field)
    {
        if (string.Equals(purpose, "ChargePointMaxProfile", StringComparison.OrdinalIgnoreCase))
        {
            return MaxProfile;
        }
        var canonical = JsonPayload.Canonical(purpose, Purposes)
            ?? throw new CommandNotExpressibleException(
                $"{field} '{purpose}' is not a charging profile purpose; use ChargingStationMaxProfile (1.6: ChargePointMaxProfile), "
                + "TxDefaultProfile or TxProfile (2.1 adds PriorityCharging and LocalGeneration).");
        if (canonical == ExternalConstraints)
        {
            // K01.FR.22 (set) and K10.FR.06 (clear): only the station's external system manages these profiles
            throw new CommandNotExpressibleException(
                $"{field} ChargingStationExternalConstraints is set by an external system at the station; a CSMS SHALL NOT send it "
                + "(OCPP 2.x K01.FR.22, K10.FR.06). Use ChargingStationMaxProfile to cap the station.");
        }
        if (canonical is "PriorityCharging" or "LocalGeneration" && version != OcppVersion.V21)
        {
            throw new CommandNotExpressibleException(
                $"{field} {canonical} is new in OCPP 2.1 and cannot be expressed in OCPP {version.Number()}; use TxProfile or TxDefaultProfile.");
        }
        return canonical;
    }

    /// <summary>The purpose as the version spells it on the wire.</summary>
    internal static string WirePurpose(string neutralPurpose, OcppVersion version) =>
        version == OcppVersion.V16 && neutralPurpose == MaxProfile ? "ChargePointMaxProfile" : neutralPurpose;

    /// <summary>The 1.6 ChargingProfile object (1.6 section 7.8), or the 2.x ChargingProfileType.</summary>
    internal JsonObject ToJson(OcppVersion version, string field)
    {
        var purpose = NeutralPurpose(ChargingProfilePurpose, version, field + ".chargingProfilePurpose");
        var kind = JsonPayload.Canonical(ChargingProfileKind, Kinds)
            ?? throw new CommandNotExpressibleException(
                $"{field}.chargingProfileKind '{ChargingProfileKind}' is not a profile kind; use Absolute, Recurring or Relative.");
        if (kind == "Dynamic" && version != OcppVersion.V21)
        {
            throw new CommandNotExpressibleException(
                $"{field}.chargingProfileKind Dynamic is new in OCPP 2.1 and cannot be expressed in OCPP {version.Number()}; "
                + "use Absolute and send a new profile when the limit changes.");
        }
        string? recurrency = null;
        if (RecurrencyKind is not null)
        {
            recurrency = JsonPayload.Canonical(RecurrencyKind, RecurrencyKinds)
                ?? throw new CommandNotExpressibleException($"{field}.recurrencyKind '{RecurrencyKind}' is not Daily or Weekly.");
        }
        if (ChargingSchedules is null || ChargingSchedules.Count == 0)
        {
            throw JsonPayload.Required(field + ".chargingSchedules", "at least one charging schedule");
        }

        var profile = new JsonObject();
        if (version == OcppVersion.V16)
        {
            if (ChargingSchedules.Count > 1)
            {
                throw new CommandNotExpressibleException(
                    $"{field}.chargingSchedules has {ChargingSchedules.Count} schedules, but an OCPP 1.6 charging profile holds exactly one "
                    + "(1.6 section 7.8): send one schedule, or one profile per schedule.");
            }
            profile["chargingProfileId"] = Id;
            profile.Put("transactionId", TransactionId is null ? null : TransactionId16(TransactionId, field + ".transactionId"));
        }
        else
        {
            profile["id"] = Id;
        }
        profile["stackLevel"] = StackLevel;
        profile["chargingProfilePurpose"] = WirePurpose(purpose, version);
        profile["chargingProfileKind"] = kind;
        profile.Put("recurrencyKind", recurrency)
            .Put("validFrom", JsonPayload.Timestamp(ValidFrom))
            .Put("validTo", JsonPayload.Timestamp(ValidTo));
        if (version == OcppVersion.V16)
        {
            profile["chargingSchedule"] = Schedule(ChargingSchedules[0], 0, version, field + ".chargingSchedules[0]");
        }
        else
        {
            profile.Put("transactionId", TransactionId);
            profile["chargingSchedule"] = new JsonArray([.. ChargingSchedules.Select((s, i) =>
                (JsonNode)Schedule(s, i, version, $"{field}.chargingSchedules[{i}]"))]);
        }
        return profile;
    }

    internal static int TransactionId16(string transactionId, string field) =>
        int.TryParse(transactionId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new CommandNotExpressibleException(
                $"{field} '{transactionId}' is not an integer, but OCPP 1.6 transaction ids are integers: use the transactionId "
                + "the station reported in its StartTransaction response.");

    private static JsonObject Schedule(ChargingSchedule schedule, int index, OcppVersion version, string field)
    {
        var unit = JsonPayload.Canonical(schedule.ChargingRateUnit, ["A", "W"])
            ?? throw new CommandNotExpressibleException($"{field}.chargingRateUnit '{schedule.ChargingRateUnit}' is not A or W.");
        if (schedule.ChargingSchedulePeriods is null || schedule.ChargingSchedulePeriods.Count == 0)
        {
            throw JsonPayload.Required(field + ".chargingSchedulePeriods", "at least one period, the first starting at 0");
        }
        var json = new JsonObject();
        if (version != OcppVersion.V16)
        {
            // ISO 15118-2 SAScheduleTupleID is 1..255, so the position (1..3) is a safe default
            json["id"] = schedule.Id ?? index + 1;
        }
        json.Put("startSchedule", JsonPayload.Timestamp(schedule.StartSchedule))
            .Put("duration", schedule.Duration);
        json["chargingRateUnit"] = unit;
        json["chargingSchedulePeriod"] = new JsonArray([.. schedule.ChargingSchedulePeriods.Select((p, i) =>
            (JsonNode)Period(p, version, $"{field}.chargingSchedulePeriods[{i}]"))]);
        json.Put("minChargingRate", schedule.MinChargingRate);
        return json;
    }

    private static JsonObject Period(ChargingSchedulePeriod period, OcppVersion version, string field)
    {
        if (period.PhaseToUse is not null)
        {
            if (version == OcppVersion.V16)
            {
                throw new CommandNotExpressibleException(
                    $"{field}.phaseToUse cannot be expressed in OCPP 1.6, which lets the station choose the phase: omit phaseToUse.");
            }
            if (period.NumberPhases != 1)
            {
                // K01.FR.19
                throw new CommandNotExpressibleException(
                    $"{field}.phaseToUse is only allowed with numberPhases 1 (OCPP 2.x K01.FR.19): set numberPhases to 1 or omit phaseToUse.");
            }
        }
        return new JsonObject { ["startPeriod"] = period.StartPeriod, ["limit"] = period.Limit }
            .Put("numberPhases", period.NumberPhases)
            .Put("phaseToUse", period.PhaseToUse);
    }
}
