using System.Text.Json;
using Csms.Ocpp;

namespace Csms.LoadTest.Tests;

/// <summary>The virtual station's charging-profile arithmetic (K01), without a network.</summary>
public sealed class ChargingLimitsTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly ChargingLimits.ActiveTransaction Tx = new("key-1", "tx-1");

    [Fact]
    public void K01_FR_17_within_a_purpose_the_highest_stack_level_wins_and_the_station_maximum_caps_it()
    {
        var limits = new ChargingLimits();
        Assert.Equal("Accepted", limits.Set(V2(1, 0, "TxDefaultProfile", "W", 7000, evse: 1), OcppVersion.V201, null, Noon));
        Assert.Equal("Accepted", limits.Set(V2(2, 1, "TxDefaultProfile", "W", 5000, evse: 1), OcppVersion.V201, null, Noon));

        Assert.Equal(5000, limits.LimitWatts(Noon, Tx.Key, Noon));
        Assert.Null(limits.LimitWatts(Noon, null, null)); // TxDefault applies to transactions only

        Assert.Equal("Accepted", limits.Set(V2(3, 0, "ChargingStationMaxProfile", "W", 4000, evse: 0), OcppVersion.V201, null, Noon));
        Assert.Equal(4000, limits.LimitWatts(Noon, Tx.Key, Noon));
        Assert.Equal(4000, limits.PowerWatts(Noon, Tx.Key, Noon));
    }

    [Fact]
    public void A_TxProfile_overrides_the_default_only_for_its_transaction_and_ends_with_it()
    {
        var limits = new ChargingLimits();
        limits.Set(V2(1, 0, "TxDefaultProfile", "W", 7000, evse: 1), OcppVersion.V201, null, Noon);

        Assert.Equal("Rejected", limits.Set(V2(2, 0, "TxProfile", "A", 10, evse: 1), OcppVersion.V201, null, Noon)); // K01.FR.09
        Assert.Equal("Rejected", limits.Set(V2(2, 0, "TxProfile", "A", 10, evse: 1, transactionId: "other"), OcppVersion.V201, Tx, Noon)); // K01.FR.33
        Assert.Equal("Rejected", limits.Set(V2(2, 0, "TxProfile", "A", 10, evse: 0), OcppVersion.V201, Tx, Noon)); // K01.FR.16
        Assert.Equal("Accepted", limits.Set(V2(2, 0, "TxProfile", "A", 10, evse: 1, transactionId: "tx-1"), OcppVersion.V201, Tx, Noon));

        Assert.Equal(10 * 230 * 3, limits.LimitWatts(Noon, Tx.Key, Noon)); // K01.FR.49/51: amperes per phase, three phases
        Assert.Equal(7000, limits.LimitWatts(Noon, "another-transaction", Noon));
        limits.TransactionEnded(Tx.Key);
        Assert.Equal(7000, limits.LimitWatts(Noon, Tx.Key, Noon));
    }

    [Fact]
    public void K01_FR_11_FR_12_FR_30_periods_follow_the_schedule_start_and_stop_at_its_duration()
    {
        var limits = new ChargingLimits();
        var profile = $$$"""
            {"evseId":0,"chargingProfile":{"id":9,"stackLevel":0,"chargingProfilePurpose":"ChargingStationMaxProfile","chargingProfileKind":"Absolute",
             "chargingSchedule":[{"id":1,"startSchedule":"{{{Noon:O}}}","duration":3600,"chargingRateUnit":"W",
               "chargingSchedulePeriod":[{"startPeriod":0,"limit":3000},{"startPeriod":1800,"limit":6000}]}]}}
            """;
        limits.Set(Json(profile), OcppVersion.V201, null, Noon);

        Assert.Null(limits.LimitWatts(Noon.AddMinutes(-1), null, null));
        Assert.Equal(3000, limits.LimitWatts(Noon.AddMinutes(29), null, null));
        Assert.Equal(6000, limits.LimitWatts(Noon.AddMinutes(31), null, null));
        Assert.Null(limits.LimitWatts(Noon.AddMinutes(61), null, null));
    }

    [Fact]
    public void A_daily_recurring_profile_repeats_and_a_relative_one_counts_from_the_transaction_start()
    {
        var limits = new ChargingLimits();
        var daily = $$$"""
            {"connectorId":0,"csChargingProfiles":{"chargingProfileId":1,"stackLevel":0,"chargingProfilePurpose":"ChargePointMaxProfile",
             "chargingProfileKind":"Recurring","recurrencyKind":"Daily",
             "chargingSchedule":{"startSchedule":"{{{Noon:O}}}","chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":2000},{"startPeriod":3600,"limit":9000}]} }}
            """;
        Assert.Equal("Accepted", limits.Set(Json(daily), OcppVersion.V16, null, Noon));
        Assert.Equal(2000, limits.LimitWatts(Noon.AddDays(3).AddMinutes(10), null, null));
        Assert.Equal(9000, limits.LimitWatts(Noon.AddDays(3).AddMinutes(-10), null, null));

        var relative = new ChargingLimits();
        var tx = """
            {"connectorId":1,"csChargingProfiles":{"chargingProfileId":2,"stackLevel":0,"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Relative",
             "chargingSchedule":{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":6,"numberPhases":1},{"startPeriod":600,"limit":16,"numberPhases":1}]}}}
            """;
        Assert.Equal("Accepted", relative.Set(Json(tx), OcppVersion.V16, new ChargingLimits.ActiveTransaction("k", "42"), Noon));
        var started = Noon.AddMinutes(-5);
        Assert.Equal(6 * 230, relative.LimitWatts(Noon, "k", started));
        Assert.Equal(16 * 230, relative.LimitWatts(Noon.AddMinutes(6), "k", started));
    }

    [Fact]
    public void Clearing_by_id_or_by_purpose_removes_only_what_matches_and_says_Unknown_when_nothing_did()
    {
        var limits = new ChargingLimits();
        limits.Set(V2(1, 0, "TxDefaultProfile", "W", 7000, evse: 1), OcppVersion.V201, null, Noon);
        limits.Set(V2(2, 0, "ChargingStationMaxProfile", "W", 4000, evse: 0), OcppVersion.V201, null, Noon);

        Assert.Equal("Unknown", limits.Clear(Json("""{"chargingProfileId":77}"""), OcppVersion.V201));
        Assert.Equal("Accepted", limits.Clear(Json("""{"chargingProfileCriteria":{"chargingProfilePurpose":"ChargingStationMaxProfile"}}"""), OcppVersion.V201));
        Assert.Equal(1, limits.Count);
        Assert.Equal("Accepted", limits.Clear(Json("""{"id":1}"""), OcppVersion.V16));
        Assert.Equal(0, limits.Count);
    }

    private static JsonElement V2(int id, int stackLevel, string purpose, string unit, double limit, int evse, string? transactionId = null)
    {
        var kind = purpose == "TxProfile" ? "Relative" : "Absolute";
        var start = kind == "Absolute" ? $",\"startSchedule\":\"{Noon.AddHours(-1):O}\"" : "";
        var tx = transactionId is null ? "" : $",\"transactionId\":\"{transactionId}\"";
        return Json($$$"""
            {"evseId":{{{evse}}},"chargingProfile":{"id":{{{id}}},"stackLevel":{{{stackLevel}}},"chargingProfilePurpose":"{{{purpose}}}","chargingProfileKind":"{{{kind}}}"{{{tx}}},
             "chargingSchedule":[{"id":1{{{start}}},"chargingRateUnit":"{{{unit}}}","chargingSchedulePeriod":[{"startPeriod":0,"limit":{{{limit}}}}]}]}}
            """);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
