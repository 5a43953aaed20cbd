using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>Retry the cable retention lock of one connector: UnlockConnector in every version.</summary>
public sealed record UnlockConnectorCommand : OperatorCommand
{
    /// <summary>The EVSE (the 1.6 connectorId); required.</summary>
    public int? EvseId { get; init; }

    /// <summary>2.x: the connector within the EVSE, required there. 1.6: the connector number when <see cref="EvseId"/> is omitted.</summary>
    public int? ConnectorId { get; init; }

    internal override IReadOnlyList<OcppCall> ToCalls(OcppVersion version)
    {
        if (version == OcppVersion.V16)
        {
            var connectorId = StationAddress.Connector16(EvseId, ConnectorId);
            if (connectorId is null or 0)
            {
                throw new CommandNotExpressibleException(
                    "evseId is required and must be greater than 0 for OCPP 1.6 UnlockConnector: name the outlet whose cable to unlock.");
            }
            return [new OcppCall("UnlockConnector", new JsonObject { ["connectorId"] = connectorId })];
        }

        if (EvseId is null || ConnectorId is null)
        {
            throw new CommandNotExpressibleException(
                $"{(EvseId is null ? "evseId" : "connectorId")} is required by {version.In("UnlockConnector")}, which names the connector "
                + "by evseId and connectorId within it (use connectorId 1 for an EVSE with one connector).");
        }
        StationAddress.CheckNotNegative(EvseId, ConnectorId);
        return [new OcppCall("UnlockConnector", new JsonObject { ["evseId"] = EvseId, ["connectorId"] = ConnectorId })];
    }
}
