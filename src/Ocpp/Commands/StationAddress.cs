using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>
/// Maps the neutral (evseId, connectorId) pair onto each version's addressing.
/// 2.x numbers connectors within an EVSE. 1.6 has one number, the "connector", which its glossary defines as
/// "an independently operated and managed electrical outlet" (1.6 section 2) - what 2.x calls an EVSE, "an
/// independently operated and managed part of the Charging Station that can deliver energy to one EV at a time"
/// (2.0.1 Part 0 glossary). So the 1.6 connectorId is the evseId; connectorId alone is taken as the 1.6 number.
/// </summary>
internal static class StationAddress
{
    /// <summary>The 1.6 connectorId for the pair; null when neither is given.</summary>
    public static int? Connector16(int? evseId, int? connectorId)
    {
        CheckNotNegative(evseId, connectorId);
        if (evseId is null)
        {
            return connectorId;
        }
        if (connectorId is null || connectorId == 1)
        {
            return evseId;
        }
        throw new CommandNotExpressibleException(
            $"connectorId {connectorId} of evseId {evseId} cannot be addressed in OCPP 1.6: a 1.6 station numbers each outlet (EVSE) once, "
            + "as its connectorId. Send only evseId, or only connectorId with the 1.6 connector number.");
    }

    /// <summary>The 2.x EVSE-level address: the evseId, refusing a connector the message cannot carry.</summary>
    public static int? EvseOnly(int? evseId, int? connectorId, OcppVersion version, string action)
    {
        CheckNotNegative(evseId, connectorId);
        if (connectorId is not null)
        {
            throw new CommandNotExpressibleException(
                $"connectorId cannot be expressed in {version.In(action)}, which addresses a whole EVSE: send evseId instead"
                + (evseId is null ? " (a 1.6 connector number is the EVSE id)." : " and omit connectorId."));
        }
        return evseId;
    }

    /// <summary>The 2.x EVSEType object {id, connectorId}, or null when no EVSE is named.</summary>
    public static JsonObject? Evse(int? evseId, int? connectorId, OcppVersion version, string action)
    {
        CheckNotNegative(evseId, connectorId);
        if (evseId is null)
        {
            return connectorId is null
                ? null
                : throw new CommandNotExpressibleException(
                    $"connectorId needs evseId in {version.In(action)}: 2.x numbers connectors within their EVSE. Send evseId too "
                    + "(a 1.6 connector number is the EVSE id, with connectorId 1).");
        }
        return new JsonObject { ["id"] = evseId }.Put("connectorId", connectorId);
    }

    public static void CheckNotNegative(int? evseId, int? connectorId)
    {
        if (evseId < 0)
        {
            throw new CommandNotExpressibleException($"evseId must be 0 (the whole station) or more, not {evseId}.");
        }
        if (connectorId < 0)
        {
            throw new CommandNotExpressibleException($"connectorId must be 0 or more, not {connectorId}.");
        }
    }
}
