namespace Csms.Ocpp.Commands;

/// <summary>One period of a charging schedule: from <see cref="StartPeriod"/> seconds after the schedule start, at most <see cref="Limit"/>.</summary>
public sealed record ChargingSchedulePeriod
{
    /// <summary>Seconds from the start of the schedule; the first period starts at 0 (K01.FR.31).</summary>
    public required int StartPeriod { get; init; }

    /// <summary>The limit in the schedule's rate unit: amperes per phase (A) or watts (W).</summary>
    public required decimal Limit { get; init; }

    /// <summary>Phases that may be used; 3 when omitted (K01.FR.49).</summary>
    public int? NumberPhases { get; init; }

    /// <summary>2.x only: which phase (1-3) to use when <see cref="NumberPhases"/> is 1 (K01.FR.19).</summary>
    public int? PhaseToUse { get; init; }
}
