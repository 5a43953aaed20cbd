namespace Csms.Grains.SmartCharging;

/// <summary>How a site shares its power among the EVSEs that charge.</summary>
public enum AllocationStrategy
{
    /// <summary>Everyone charging gets the same current (max-min fair), each within its own minimum and maximum.</summary>
    EqualShare,
    /// <summary>Higher priority first; equal share among EVSEs of the same priority.</summary>
    Priority,
    /// <summary>In order of arrival: the earliest session gets as much as it can take, then the next.</summary>
    FirstCome,
}

/// <summary>
/// A limit in the site's tree: the site itself (the grid connection) or a group inside it (a feeder, a circuit).
/// Currents are amperes per phase; an EVSE counts against every phase of its group, whatever phases it uses, which is
/// never less safe than the truth.
/// </summary>
/// <param name="Id">Unique within the site; the site's own node is <see cref="SiteAllocator.SiteNode"/>.</param>
/// <param name="Parent">The enclosing group, or null for the site's own node.</param>
/// <param name="LimitAmps">What this node may carry per phase.</param>
public sealed record LimitNode(string Id, string? Parent, decimal LimitAmps);

/// <summary>An EVSE that wants power now (a session that is charging or about to), as the allocator sees it.</summary>
/// <param name="Key">The EVSE, e.g. "station/1".</param>
/// <param name="Group">The limit node it hangs from (the site's node, or a group).</param>
/// <param name="MinAmps">Below this the EV cannot charge (e.g. 6 A, IEC 61851); it gets this or nothing.</param>
/// <param name="MaxAmps">What the EVSE (and cable) can deliver.</param>
/// <param name="Priority">Higher is served first under <see cref="AllocationStrategy.Priority"/>, and paused last.</param>
/// <param name="Arrival">When the session started: the order under <see cref="AllocationStrategy.FirstCome"/>, and the tie-break.</param>
/// <param name="DrawnAmps">What the EV draws now (from meter values), or null if not known yet.</param>
/// <param name="AllowedAmps">What it is allowed now (the last limit it accepted), or null.</param>
public sealed record EvseDemand(
    string Key,
    string Group,
    decimal MinAmps,
    decimal MaxAmps,
    int Priority,
    DateTimeOffset Arrival,
    decimal? DrawnAmps = null,
    decimal? AllowedAmps = null);

/// <summary>What one EVSE is given: a current limit per phase, or 0 (paused: even its minimum did not fit).</summary>
public sealed record EvseAllocation(string Key, decimal Amps, bool Paused);
