using Csms.Ocpp.Commands;
using static Csms.Ocpp.Tests.Commands.Translated;

namespace Csms.Ocpp.Tests.Commands;

public class SetChargingProfileTests
{
    private static readonly ChargingProfile DefaultProfile = new()
    {
        Id = 100,
        StackLevel = 0,
        ChargingProfilePurpose = "TxDefaultProfile",
        ChargingProfileKind = "Recurring",
        RecurrencyKind = "Daily",
        ValidFrom = Noon,
        ChargingSchedules =
        [
            new ChargingSchedule
            {
                StartSchedule = Noon,
                Duration = 86400,
                ChargingRateUnit = "W",
                MinChargingRate = 1380,
                ChargingSchedulePeriods =
                [
                    new ChargingSchedulePeriod { StartPeriod = 0, Limit = 11000 },
                    new ChargingSchedulePeriod { StartPeriod = 28800, Limit = 3680.5m, NumberPhases = 1 },
                ],
            },
        ],
    };

    private static readonly ChargingProfile StationMax = DefaultProfile with { Id = 1, ChargingProfilePurpose = "ChargePointMaxProfile", ChargingProfileKind = "Absolute", RecurrencyKind = null };

    private static readonly ChargingProfile TxProfile = DefaultProfile with
    {
        Id = 5,
        StackLevel = 2,
        ChargingProfilePurpose = "TxProfile",
        ChargingProfileKind = "Relative",
        RecurrencyKind = null,
        TransactionId = "4711",
        ChargingSchedules = [DefaultProfile.ChargingSchedules[0] with { StartSchedule = null }],
    };

    [Fact]
    public void SetChargingProfile_for_a_16_station_is_csChargingProfiles_with_one_schedule_object()
    {
        var payload = Single(new SetChargingProfileCommand { ChargingProfile = DefaultProfile }, OcppVersion.V16, "SetChargingProfile");

        Assert.Equal(0, payload["connectorId"].Int());
        var profile = payload["csChargingProfiles"]!;
        Assert.Equal(100, profile["chargingProfileId"].Int());
        Assert.Equal("TxDefaultProfile", profile["chargingProfilePurpose"].Text());
        Assert.Equal("Recurring", profile["chargingProfileKind"].Text());
        Assert.Equal("Daily", profile["recurrencyKind"].Text());
        var schedule = profile["chargingSchedule"]!.AsObject();
        Assert.Equal("W", schedule["chargingRateUnit"].Text());
        Assert.Equal(86400, schedule["duration"].Int());
        Assert.Equal(28800, schedule["chargingSchedulePeriod"]![1]!["startPeriod"].Int());
        Assert.Equal(3680.5m, schedule["chargingSchedulePeriod"]![1]!["limit"]!.GetValue<decimal>());
        Assert.Equal(1, schedule["chargingSchedulePeriod"]![1]!["numberPhases"].Int());
        Assert.False(schedule.ContainsKey("id"));
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void SetChargingProfile_for_a_2x_station_is_chargingProfile_with_a_schedule_array(OcppVersion version)
    {
        var payload = Single(new SetChargingProfileCommand { EvseId = 0, ChargingProfile = DefaultProfile }, version, "SetChargingProfile");

        Assert.Equal(0, payload["evseId"].Int());
        var profile = payload["chargingProfile"]!;
        Assert.Equal(100, profile["id"].Int());
        var schedules = profile["chargingSchedule"]!.AsArray();
        Assert.Equal(1, Assert.Single(schedules)!["id"].Int());
        Assert.Equal(11000m, schedules[0]!["chargingSchedulePeriod"]![0]!["limit"]!.GetValue<decimal>());
        Assert.Equal("2025-03-01T12:00:00Z", schedules[0]!["startSchedule"].Text());
    }

    [Fact]
    public void SetChargingProfile_names_the_station_max_profile_as_each_version_does()
    {
        Assert.Equal("ChargePointMaxProfile",
            Single(new SetChargingProfileCommand { ChargingProfile = StationMax with { ChargingProfilePurpose = "ChargingStationMaxProfile" } },
                OcppVersion.V16, "SetChargingProfile")["csChargingProfiles"]!["chargingProfilePurpose"].Text());
        Assert.Equal("ChargingStationMaxProfile",
            Single(new SetChargingProfileCommand { ChargingProfile = StationMax }, OcppVersion.V201, "SetChargingProfile")["chargingProfile"]!["chargingProfilePurpose"].Text());
    }

    [Fact]
    public void SetChargingProfile_of_a_TxProfile_for_a_16_station_sends_the_transactionId_as_an_integer()
    {
        var payload = Single(new SetChargingProfileCommand { EvseId = 1, ChargingProfile = TxProfile }, OcppVersion.V16, "SetChargingProfile");

        Assert.Equal(1, payload["connectorId"].Int());
        Assert.Equal(4711, payload["csChargingProfiles"]!["transactionId"].Int());
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void SetChargingProfile_of_a_TxProfile_for_a_2x_station_sends_the_transactionId_as_text(OcppVersion version)
    {
        var payload = Single(new SetChargingProfileCommand { EvseId = 1, ChargingProfile = TxProfile with { TransactionId = "tx-9" } }, version, "SetChargingProfile");

        Assert.Equal(1, payload["evseId"].Int());
        Assert.Equal("tx-9", payload["chargingProfile"]!["transactionId"].Text());
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void SetChargingProfile_of_a_TxProfile_without_a_transactionId_is_not_expressible_in_2x(OcppVersion version) =>
        Problem(new SetChargingProfileCommand { EvseId = 1, ChargingProfile = TxProfile with { TransactionId = null } }, version, "chargingProfile.transactionId");

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void SetChargingProfile_of_a_TxProfile_on_the_whole_station_is_not_expressible(OcppVersion version) =>
        Problem(new SetChargingProfileCommand { ChargingProfile = TxProfile }, version, "evseId");

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void SetChargingProfile_of_the_station_max_profile_on_one_EVSE_is_not_expressible(OcppVersion version) =>
        Problem(new SetChargingProfileCommand { EvseId = 1, ChargingProfile = StationMax }, version, "evseId");

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void SetChargingProfile_of_a_transactionId_outside_a_TxProfile_is_not_expressible(OcppVersion version) =>
        Problem(new SetChargingProfileCommand { ChargingProfile = DefaultProfile with { TransactionId = "1" } }, version, "chargingProfile.transactionId");

    [Fact]
    public void SetChargingProfile_of_a_non_integer_transactionId_is_not_expressible_in_16() =>
        Problem(new SetChargingProfileCommand { EvseId = 1, ChargingProfile = TxProfile with { TransactionId = "tx-9" } }, OcppVersion.V16, "chargingProfile.transactionId");

    [Fact]
    public void SetChargingProfile_with_two_schedules_is_not_expressible_in_16_but_is_in_2x()
    {
        var command = new SetChargingProfileCommand
        {
            EvseId = 1,
            ChargingProfile = TxProfile with { ChargingSchedules = [TxProfile.ChargingSchedules[0], TxProfile.ChargingSchedules[0] with { Id = 7 }] },
        };

        Problem(command with { ChargingProfile = command.ChargingProfile with { TransactionId = "1" } }, OcppVersion.V16, "chargingProfile.chargingSchedules");
        var schedules = Single(command, OcppVersion.V201, "SetChargingProfile")["chargingProfile"]!["chargingSchedule"]!.AsArray();
        Assert.Equal([1, 7], schedules.Select(s => s!["id"].Int()!.Value));
    }

    [Fact]
    public void SetChargingProfile_with_a_phase_to_use_is_not_expressible_in_16()
    {
        var profile = DefaultProfile with
        {
            ChargingSchedules = [DefaultProfile.ChargingSchedules[0] with { ChargingSchedulePeriods = [new ChargingSchedulePeriod { StartPeriod = 0, Limit = 16, NumberPhases = 1, PhaseToUse = 2 }] }],
        };

        Problem(new SetChargingProfileCommand { ChargingProfile = profile }, OcppVersion.V16, "chargingProfile.chargingSchedules[0].chargingSchedulePeriods[0].phaseToUse");
        Assert.Equal(2, Single(new SetChargingProfileCommand { ChargingProfile = profile }, OcppVersion.V21, "SetChargingProfile")
            ["chargingProfile"]!["chargingSchedule"]![0]!["chargingSchedulePeriod"]![0]!["phaseToUse"].Int());
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void SetChargingProfile_with_a_phase_to_use_on_three_phases_is_not_expressible(OcppVersion version)
    {
        var profile = DefaultProfile with
        {
            ChargingSchedules = [DefaultProfile.ChargingSchedules[0] with { ChargingSchedulePeriods = [new ChargingSchedulePeriod { StartPeriod = 0, Limit = 16, NumberPhases = 3, PhaseToUse = 2 }] }],
        };

        Problem(new SetChargingProfileCommand { ChargingProfile = profile }, version, "phaseToUse");
    }

    [Theory]
    [InlineData(OcppVersion.V16)]
    [InlineData(OcppVersion.V201)]
    public void SetChargingProfile_of_a_21_purpose_is_not_expressible_before_21(OcppVersion version) =>
        Problem(new SetChargingProfileCommand { ChargingProfile = DefaultProfile with { ChargingProfilePurpose = "PriorityCharging" } }, version, "chargingProfile.chargingProfilePurpose");

    [Fact]
    public void SetChargingProfile_of_a_dynamic_profile_is_expressible_in_21_only()
    {
        var command = new SetChargingProfileCommand { ChargingProfile = DefaultProfile with { ChargingProfileKind = "Dynamic", RecurrencyKind = null } };

        Problem(command, OcppVersion.V201, "chargingProfile.chargingProfileKind");
        Assert.Equal("Dynamic", Single(command, OcppVersion.V21, "SetChargingProfile")["chargingProfile"]!["chargingProfileKind"].Text());
    }

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void SetChargingProfile_of_external_constraints_is_not_expressible_because_the_CSMS_may_not_send_them(OcppVersion version) =>
        Problem(new SetChargingProfileCommand { ChargingProfile = DefaultProfile with { ChargingProfilePurpose = "ChargingStationExternalConstraints" } },
            version, "chargingProfile.chargingProfilePurpose");
}
