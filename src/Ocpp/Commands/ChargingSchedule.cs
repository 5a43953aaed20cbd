namespace Csms.Ocpp.Commands;

/// <summary>A charging schedule: a rate unit and a list of periods, optionally anchored at <see cref="StartSchedule"/>.</summary>
public sealed record ChargingSchedule
{
    /// <summary>2.x only (required there); defaults to the schedule's position in the profile, 1 to 3.</summary>
    public int? Id { get; init; }

    public DateTimeOffset? StartSchedule { get; init; }

    /// <summary>Seconds; the last period lasts until the profile ends when omitted.</summary>
    public int? Duration { get; init; }

    /// <summary>"A" (amperes per phase) or "W" (watts).</summary>
    public required string ChargingRateUnit { get; init; }

    public decimal? MinChargingRate { get; init; }

    /// <summary>Ordered by increasing startPeriod (K01.FR.35).</summary>
    public required IReadOnlyList<ChargingSchedulePeriod> ChargingSchedulePeriods { get; init; }
}
