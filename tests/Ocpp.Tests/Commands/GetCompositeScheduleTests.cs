using Csms.Ocpp.Commands;
using static Csms.Ocpp.Tests.Commands.Translated;

namespace Csms.Ocpp.Tests.Commands;

public class GetCompositeScheduleTests
{
    [Fact]
    public void GetCompositeSchedule_for_a_16_station_names_the_connector()
    {
        var payload = Single(new GetCompositeScheduleCommand { Duration = 3600, EvseId = 1, ChargingRateUnit = "w" }, OcppVersion.V16, "GetCompositeSchedule");

        Assert.Equal(1, payload["connectorId"].Int());
        Assert.Equal(3600, payload["duration"].Int());
        Assert.Equal("W", payload["chargingRateUnit"].Text());
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void GetCompositeSchedule_for_a_2x_station_defaults_to_EVSE_0_the_grid_connection(OcppVersion version)
    {
        var payload = Single(new GetCompositeScheduleCommand { Duration = 600 }, version, "GetCompositeSchedule");

        Assert.Equal(0, payload["evseId"].Int());
        Assert.Equal(600, payload["duration"].Int());
        Assert.Null(payload["chargingRateUnit"]);
    }

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void GetCompositeSchedule_of_no_duration_is_not_expressible(OcppVersion version) =>
        Problem(new GetCompositeScheduleCommand { Duration = 0 }, version, "duration");

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void GetCompositeSchedule_in_an_unknown_unit_is_not_expressible(OcppVersion version) =>
        Problem(new GetCompositeScheduleCommand { Duration = 60, ChargingRateUnit = "kW" }, version, "chargingRateUnit");
}
