using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>Cancel a reservation: CancelReservation in every version.</summary>
public sealed record CancelReservationCommand : OperatorCommand
{
    public required int ReservationId { get; init; }

    internal override IReadOnlyList<OcppCall> ToCalls(OcppVersion version) =>
        [new OcppCall("CancelReservation", new JsonObject { ["reservationId"] = ReservationId })];
}
