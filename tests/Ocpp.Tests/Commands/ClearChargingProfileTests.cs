using Csms.Ocpp.Commands;
using static Csms.Ocpp.Tests.Commands.Translated;

namespace Csms.Ocpp.Tests.Commands;

public class ClearChargingProfileTests
{
    [Fact]
    public void ClearChargingProfile_for_a_16_station_uses_id_connectorId_purpose_and_stackLevel()
    {
        var payload = Single(new ClearChargingProfileCommand { ChargingProfileId = 5, EvseId = 0, ChargingProfilePurpose = "ChargingStationMaxProfile", StackLevel = 1 },
            OcppVersion.V16, "ClearChargingProfile");

        Assert.Equal(5, payload["id"].Int());
        Assert.Equal(0, payload["connectorId"].Int());
        Assert.Equal("ChargePointMaxProfile", payload["chargingProfilePurpose"].Text());
        Assert.Equal(1, payload["stackLevel"].Int());
    }

    [Fact]
    public void ClearChargingProfile_without_criteria_for_a_16_station_clears_everything() =>
        Assert.Empty(Single(new ClearChargingProfileCommand(), OcppVersion.V16, "ClearChargingProfile"));

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void ClearChargingProfile_by_id_for_a_2x_station_has_no_criteria(OcppVersion version)
    {
        var payload = Single(new ClearChargingProfileCommand { ChargingProfileId = 5 }, version, "ClearChargingProfile");

        Assert.Equal(5, payload["chargingProfileId"].Int());
        Assert.Null(payload["chargingProfileCriteria"]);
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void ClearChargingProfile_by_criteria_for_a_2x_station_nests_them(OcppVersion version)
    {
        var payload = Single(new ClearChargingProfileCommand { EvseId = 1, ChargingProfilePurpose = "txdefaultprofile", StackLevel = 2 }, version, "ClearChargingProfile");

        var criteria = payload["chargingProfileCriteria"]!;
        Assert.Equal(1, criteria["evseId"].Int());
        Assert.Equal("TxDefaultProfile", criteria["chargingProfilePurpose"].Text());
        Assert.Equal(2, criteria["stackLevel"].Int());
        Assert.Null(payload["chargingProfileId"]);
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void ClearChargingProfile_without_id_or_criteria_is_not_expressible_in_2x(OcppVersion version) =>
        Problem(new ClearChargingProfileCommand(), version, "chargingProfileId");

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void ClearChargingProfile_of_an_unknown_purpose_is_not_expressible(OcppVersion version) =>
        Problem(new ClearChargingProfileCommand { ChargingProfilePurpose = "MaxProfile" }, version, "chargingProfilePurpose");
}
