using Csms.Grains.SmartCharging;
using Csms.Ocpp;

namespace Csms.Grains.Tests.SmartCharging;

public class SiteChargingProfilesTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(OcppVersion.V16)]
    [InlineData(OcppVersion.V201)]
    [InlineData(OcppVersion.V21)]
    public void A_site_limit_is_a_TxDefaultProfile_on_the_EVSE_in_amperes_in_every_version(OcppVersion version)
    {
        var call = SiteChargingProfiles.Call(SiteChargingProfiles.Limit(2, 12.5m, 3, Now), version);

        Assert.Equal("SetChargingProfile", call.Action);
        var payload = call.Payload;
        var profile = version == OcppVersion.V16 ? payload["csChargingProfiles"]! : payload["chargingProfile"]!;
        Assert.Equal(2, (int)(version == OcppVersion.V16 ? payload["connectorId"]! : payload["evseId"]!));
        Assert.Equal("TxDefaultProfile", (string)profile["chargingProfilePurpose"]!);
        Assert.Equal(SiteChargingProfiles.IdBase + 2, (int)(version == OcppVersion.V16 ? profile["chargingProfileId"]! : profile["id"]!));
        Assert.Equal(SiteChargingProfiles.StackLevel, (int)profile["stackLevel"]!);
        var schedule = version == OcppVersion.V16 ? profile["chargingSchedule"]! : profile["chargingSchedule"]![0]!;
        Assert.Equal("A", (string)schedule["chargingRateUnit"]!);
        Assert.Equal(12.5m, (decimal)schedule["chargingSchedulePeriod"]![0]!["limit"]!);
    }

    [Theory]
    [InlineData(OcppVersion.V16)]
    [InlineData(OcppVersion.V201)]
    public void A_paused_EVSE_gets_a_limit_of_zero(OcppVersion version)
    {
        var call = SiteChargingProfiles.Call(SiteChargingProfiles.Limit(1, 0m, null, Now), version);

        Assert.Contains("\"limit\":0", call.Payload.ToJsonString(), StringComparison.Ordinal);
    }
}
