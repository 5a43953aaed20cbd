using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>Ask for the schedule that results from all active profiles: GetCompositeSchedule in every version.</summary>
public sealed record GetCompositeScheduleCommand : OperatorCommand
{
    /// <summary>Seconds from now the schedule should cover.</summary>
    public required int Duration { get; init; }

    /// <summary>The EVSE (the 1.6 connectorId); omitted or 0 means the whole station's grid connection (K08.FR.03).</summary>
    public int? EvseId { get; init; }

    /// <summary>1.6 only: the connector number when <see cref="EvseId"/> is omitted.</summary>
    public int? ConnectorId { get; init; }

    /// <summary>"A" or "W"; the station's choice when omitted.</summary>
    public string? ChargingRateUnit { get; init; }

    internal override IReadOnlyList<OcppCall> ToCalls(OcppVersion version)
    {
        if (Duration <= 0)
        {
            throw new CommandNotExpressibleException($"duration must be a positive number of seconds, not {Duration}.");
        }
        string? unit = null;
        if (ChargingRateUnit is not null)
        {
            unit = JsonPayload.Canonical(ChargingRateUnit, ["A", "W"])
                ?? throw new CommandNotExpressibleException($"chargingRateUnit '{ChargingRateUnit}' is not A or W.");
        }
        if (version == OcppVersion.V16)
        {
            return [new OcppCall("GetCompositeSchedule", new JsonObject
            {
                ["connectorId"] = StationAddress.Connector16(EvseId, ConnectorId) ?? 0,
                ["duration"] = Duration,
            }.Put("chargingRateUnit", unit))];
        }
        var evseId = StationAddress.EvseOnly(EvseId, ConnectorId, version, "GetCompositeSchedule") ?? 0;
        return [new OcppCall("GetCompositeSchedule", new JsonObject { ["duration"] = Duration }
            .Put("chargingRateUnit", unit)
            .Put("evseId", evseId))];
    }
}
