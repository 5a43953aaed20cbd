using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>
/// Reserve an EVSE (or, without one, any EVSE) for an identifier until <see cref="ExpiryDateTime"/>: ReserveNow in
/// every version (1.6 connectorId/idTag/parentIdTag/reservationId, 2.x evseId/idToken/groupIdToken/id).
/// </summary>
public sealed record ReserveNowCommand : OperatorCommand
{
    public required int ReservationId { get; init; }

    public required DateTimeOffset ExpiryDateTime { get; init; }

    public required string IdToken { get; init; }

    /// <summary>2.x idToken type; "ISO14443" when omitted; not sent to 1.6 stations.</summary>
    public string? IdTokenType { get; init; }

    /// <summary>
    /// The EVSE to reserve (the 1.6 connectorId). When omitted any EVSE is reserved: 1.6 connectorId 0, which needs
    /// ReserveConnectorZeroSupported (1.6 section 5.13); 2.x without evseId, which needs ReservationNonEvseSpecific (H01.FR.18).
    /// </summary>
    public int? EvseId { get; init; }

    /// <summary>1.6 only: the connector number when <see cref="EvseId"/> is omitted; 2.x reserves whole EVSEs.</summary>
    public int? ConnectorId { get; init; }

    /// <summary>2.x only: reserve any EVSE with this connector type (e.g. "cCCS2", "cType2").</summary>
    public string? ConnectorType { get; init; }

    /// <summary>Lets identifiers of the same group use the reservation (1.6 parentIdTag).</summary>
    public string? GroupIdToken { get; init; }

    public string? GroupIdTokenType { get; init; }

    internal override IReadOnlyList<OcppCall> ToCalls(OcppVersion version)
    {
        if (version == OcppVersion.V16)
        {
            if (ConnectorType is not null)
            {
                throw new CommandNotExpressibleException(
                    "connectorType cannot be expressed in OCPP 1.6 ReserveNow, which reserves a connector by number: omit connectorType "
                    + "and give the evseId (1.6 connector) that has that connector type.");
            }
            return [new OcppCall("ReserveNow", new JsonObject
            {
                ["connectorId"] = StationAddress.Connector16(EvseId, ConnectorId) ?? 0,
                ["expiryDate"] = JsonPayload.Timestamp(ExpiryDateTime),
                ["idTag"] = IdTokens.IdTag(IdToken, "idToken"),
            }
                .Put("parentIdTag", GroupIdToken is null ? null : IdTokens.IdTag(GroupIdToken, "groupIdToken"))
                .Put("reservationId", ReservationId))];
        }

        return [new OcppCall("ReserveNow", new JsonObject
        {
            ["id"] = ReservationId,
            ["expiryDateTime"] = JsonPayload.Timestamp(ExpiryDateTime),
        }
            .Put("connectorType", ConnectorType)
            .Put("idToken", IdTokens.IdToken(IdToken, IdTokenType, version, "idToken"))
            .Put("evseId", StationAddress.EvseOnly(EvseId, ConnectorId, version, "ReserveNow"))
            .Put("groupIdToken", GroupIdToken is null ? null : IdTokens.IdToken(GroupIdToken, GroupIdTokenType, version, "groupIdToken")))];
    }
}
