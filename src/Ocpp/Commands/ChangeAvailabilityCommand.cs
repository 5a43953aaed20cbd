using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>Make the station, an EVSE or a connector Operative or Inoperative: ChangeAvailability in every version.</summary>
public sealed record ChangeAvailabilityCommand : OperatorCommand
{
    /// <summary>"Operative" or "Inoperative" (1.6 calls the field "type").</summary>
    public required string OperationalStatus { get; init; }

    /// <summary>The EVSE (the 1.6 connectorId); omitted or 0 means the whole station (1.6 section 5.2, 2.x G04.FR.01).</summary>
    public int? EvseId { get; init; }

    /// <summary>2.x: one connector of the EVSE. 1.6: the connector number when <see cref="EvseId"/> is omitted.</summary>
    public int? ConnectorId { get; init; }

    internal override IReadOnlyList<OcppCall> ToCalls(OcppVersion version)
    {
        var status = JsonPayload.Canonical(OperationalStatus, ["Operative", "Inoperative"])
            ?? throw new CommandNotExpressibleException($"operationalStatus '{OperationalStatus}' is not Operative or Inoperative.");
        if (version == OcppVersion.V16)
        {
            return [new OcppCall("ChangeAvailability", new JsonObject
            {
                ["connectorId"] = StationAddress.Connector16(EvseId, ConnectorId) ?? 0,
                ["type"] = status,
            })];
        }

        if (EvseId == 0 && ConnectorId is not null)
        {
            throw new CommandNotExpressibleException("connectorId needs an evseId above 0: EVSE 0 is the whole station, which has no connectors.");
        }
        // the whole station is addressed by leaving evse out (G04.FR.01)
        var evse = EvseId == 0 ? null : StationAddress.Evse(EvseId, ConnectorId, version, "ChangeAvailability");
        return [new OcppCall("ChangeAvailability", new JsonObject().Put("evse", evse).Put("operationalStatus", status))];
    }
}
