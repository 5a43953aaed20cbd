using Csms.Ocpp.Commands;
using static Csms.Ocpp.Tests.Commands.Translated;

namespace Csms.Ocpp.Tests.Commands;

public class CancelReservationTests
{
    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void CancelReservation_carries_the_reservationId_in_every_version(OcppVersion version) =>
        Assert.Equal(77, Single(new CancelReservationCommand { ReservationId = 77 }, version, "CancelReservation")["reservationId"].Int());

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void CancelReservation_of_a_negative_id_is_not_expressible_in_21(OcppVersion version)
    {
        var translation = OcppCommandTranslator.Translate(new CancelReservationCommand { ReservationId = -1 }, version);

        // 2.1 added minimum 0 to the schema; 2.0.1 states no bound
        Assert.Equal(version == OcppVersion.V201, translation.IsExpressible);
        if (!translation.IsExpressible)
        {
            Assert.Contains("reservationId", translation.Problem, StringComparison.Ordinal);
        }
    }
}
