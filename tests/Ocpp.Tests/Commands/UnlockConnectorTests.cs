using Csms.Ocpp.Commands;
using static Csms.Ocpp.Tests.Commands.Translated;

namespace Csms.Ocpp.Tests.Commands;

public class UnlockConnectorTests
{
    [Fact]
    public void UnlockConnector_for_a_16_station_names_the_EVSE_as_the_connectorId()
    {
        var payload = Single(new UnlockConnectorCommand { EvseId = 2, ConnectorId = 1 }, OcppVersion.V16, "UnlockConnector");

        Assert.Equal(2, payload["connectorId"].Int());
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void UnlockConnector_for_a_2x_station_names_the_EVSE_and_the_connector_within_it(OcppVersion version)
    {
        var payload = Single(new UnlockConnectorCommand { EvseId = 2, ConnectorId = 3 }, version, "UnlockConnector");

        Assert.Equal(2, payload["evseId"].Int());
        Assert.Equal(3, payload["connectorId"].Int());
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void UnlockConnector_without_a_connectorId_is_not_expressible_in_2x(OcppVersion version) =>
        Problem(new UnlockConnectorCommand { EvseId = 2 }, version, "connectorId");

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void UnlockConnector_without_an_evseId_is_not_expressible_in_2x(OcppVersion version) =>
        Problem(new UnlockConnectorCommand { ConnectorId = 2 }, version, "evseId");

    [Fact]
    public void UnlockConnector_without_any_connector_is_not_expressible_in_16() =>
        Problem(new UnlockConnectorCommand(), OcppVersion.V16, "evseId");

    [Fact]
    public void UnlockConnector_on_the_second_connector_of_an_EVSE_is_not_expressible_in_16() =>
        Problem(new UnlockConnectorCommand { EvseId = 1, ConnectorId = 2 }, OcppVersion.V16, "connectorId");

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void UnlockConnector_with_a_negative_evseId_is_not_expressible(OcppVersion version) =>
        Problem(new UnlockConnectorCommand { EvseId = -1, ConnectorId = 1 }, version, "evseId");
}
