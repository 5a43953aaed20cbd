using Csms.Ocpp.Commands;
using static Csms.Ocpp.Tests.Commands.Translated;

namespace Csms.Ocpp.Tests.Commands;

public class ReserveNowTests
{
    private static readonly ReserveNowCommand Reservation = new()
    {
        ReservationId = 31,
        ExpiryDateTime = Noon,
        IdToken = "04A1B2C3",
        EvseId = 2,
        GroupIdToken = "FLEET",
    };

    [Fact]
    public void ReserveNow_for_a_16_station_reserves_the_connector_for_the_idTag()
    {
        var payload = Single(Reservation, OcppVersion.V16, "ReserveNow");

        Assert.Equal(31, payload["reservationId"].Int());
        Assert.Equal(2, payload["connectorId"].Int());
        Assert.Equal("2025-03-01T12:00:00Z", payload["expiryDate"].Text());
        Assert.Equal("04A1B2C3", payload["idTag"].Text());
        Assert.Equal("FLEET", payload["parentIdTag"].Text());
    }

    [Fact]
    public void ReserveNow_without_an_EVSE_for_a_16_station_reserves_connector_0() =>
        Assert.Equal(0, Single(Reservation with { EvseId = null }, OcppVersion.V16, "ReserveNow")["connectorId"].Int());

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void ReserveNow_for_a_2x_station_reserves_the_EVSE_for_the_idToken(OcppVersion version)
    {
        var payload = Single(Reservation with { ConnectorType = "cType2" }, version, "ReserveNow");

        Assert.Equal(31, payload["id"].Int());
        Assert.Equal(2, payload["evseId"].Int());
        Assert.Equal("2025-03-01T12:00:00Z", payload["expiryDateTime"].Text());
        Assert.Equal("04A1B2C3", payload["idToken"]!["idToken"].Text());
        Assert.Equal("FLEET", payload["groupIdToken"]!["idToken"].Text());
        Assert.Equal("cType2", payload["connectorType"].Text());
    }

    [Fact]
    public void ReserveNow_by_connector_type_is_not_expressible_in_16() =>
        Problem(Reservation with { ConnectorType = "cCCS2" }, OcppVersion.V16, "connectorType");

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void ReserveNow_of_one_connector_is_not_expressible_in_2x_which_reserves_EVSEs(OcppVersion version) =>
        Problem(Reservation with { ConnectorId = 2 }, version, "connectorId");

    [Fact]
    public void ReserveNow_with_a_connector_type_201_does_not_know_is_not_expressible_in_201() =>
        Problem(Reservation with { ConnectorType = "cChaoJi" }, OcppVersion.V201, "connectorType");
}
