using Csms.Ocpp.Commands;
using static Csms.Ocpp.Tests.Commands.Translated;

namespace Csms.Ocpp.Tests.Commands;

public class ChangeAvailabilityTests
{
    [Fact]
    public void ChangeAvailability_of_the_whole_16_station_is_connector_0()
    {
        var payload = Single(new ChangeAvailabilityCommand { OperationalStatus = "inoperative" }, OcppVersion.V16, "ChangeAvailability");

        Assert.Equal(0, payload["connectorId"].Int());
        Assert.Equal("Inoperative", payload["type"].Text());
    }

    [Fact]
    public void ChangeAvailability_of_an_EVSE_of_a_16_station_is_that_connector()
    {
        var payload = Single(new ChangeAvailabilityCommand { OperationalStatus = "Operative", EvseId = 2 }, OcppVersion.V16, "ChangeAvailability");

        Assert.Equal(2, payload["connectorId"].Int());
        Assert.Equal("Operative", payload["type"].Text());
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void ChangeAvailability_of_the_whole_2x_station_leaves_out_the_evse(OcppVersion version)
    {
        var omitted = Single(new ChangeAvailabilityCommand { OperationalStatus = "Inoperative" }, version, "ChangeAvailability");
        var zero = Single(new ChangeAvailabilityCommand { OperationalStatus = "Inoperative", EvseId = 0 }, version, "ChangeAvailability");

        Assert.Null(omitted["evse"]);
        Assert.Null(zero["evse"]);
        Assert.Equal("Inoperative", omitted["operationalStatus"].Text());
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void ChangeAvailability_of_a_connector_of_a_2x_station_names_evse_and_connector(OcppVersion version)
    {
        var payload = Single(new ChangeAvailabilityCommand { OperationalStatus = "Operative", EvseId = 1, ConnectorId = 2 },
            version, "ChangeAvailability");

        Assert.Equal(1, payload["evse"]!["id"].Int());
        Assert.Equal(2, payload["evse"]!["connectorId"].Int());
        Assert.Equal("Operative", payload["operationalStatus"].Text());
    }

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void ChangeAvailability_to_an_unknown_status_is_not_expressible(OcppVersion version) =>
        Problem(new ChangeAvailabilityCommand { OperationalStatus = "Available" }, version, "operationalStatus");

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void ChangeAvailability_of_a_connector_without_its_EVSE_is_not_expressible_in_2x(OcppVersion version) =>
        Problem(new ChangeAvailabilityCommand { OperationalStatus = "Operative", ConnectorId = 2 }, version, "evseId");
}
