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
/// The grid phases a load draws from. A three-phase EVSE (or one whose phase is not known) uses <see cref="All"/>; a
/// single-phase EVSE whose grid phase is known uses only that one.
/// </summary>
[Flags]
public enum PhaseSet
{
    /// <summary>The grid's first phase.</summary>
    L1 = 1,
    /// <summary>The grid's second phase.</summary>
    L2 = 2,
    /// <summary>The grid's third phase.</summary>
    L3 = 4,
    /// <summary>All three: a three-phase load, or one whose phase is not known.</summary>
    All = L1 | L2 | L3,
}

/// <summary>
/// A limit in the site's tree: the site itself (the grid connection) or a group inside it (a feeder, a circuit).
/// Currents are amperes per phase: the node may carry <see cref="LimitAmps"/> on each of L1, L2 and L3, and a load
/// counts only on the phases it uses (its <see cref="PhaseSet"/>), on this node and on every node above it.
/// </summary>
/// <param name="Id">Unique within the site; the site's own node is <see cref="SiteAllocator.SiteNode"/>.</param>
/// <param name="Parent">The enclosing group, or null for the site's own node.</param>
/// <param name="LimitAmps">What this node may carry on each phase (the same limit on L1, L2 and L3).</param>
public sealed record LimitNode(string Id, string? Parent, decimal LimitAmps);

/// <summary>
/// A load the allocator cannot change but must leave room for, e.g. a station that is offline and may still be
/// drawing under an older limit. It counts on its phases on every node from its group up to the site.
/// </summary>
/// <param name="Key">What the load is, e.g. "station/1" (only named in errors).</param>
/// <param name="Group">The limit node it hangs from (the site's node, or a group).</param>
/// <param name="Amps">What it may draw on each of its phases; not negative.</param>
/// <param name="Phases">The phases it draws from; <see cref="PhaseSet.All"/> when not known.</param>
public sealed record FixedLoad(string Key, string Group, decimal Amps, PhaseSet Phases = PhaseSet.All);

/// <summary>An EVSE that wants power now (a session that is charging or about to), as the allocator sees it.</summary>
/// <param name="Key">The EVSE, e.g. "station/1".</param>
/// <param name="Group">The limit node it hangs from (the site's node, or a group).</param>
/// <param name="MinAmps">Below this the EV cannot charge (e.g. 6 A, IEC 61851); it gets this or nothing.</param>
/// <param name="MaxAmps">What the EVSE (and cable) can deliver.</param>
/// <param name="Priority">Higher is served first under <see cref="AllocationStrategy.Priority"/>, and paused last.</param>
/// <param name="Arrival">When the session started: the order under <see cref="AllocationStrategy.FirstCome"/>, and the tie-break.</param>
/// <param name="DrawnAmps">What the EV draws now (from meter values), or null if not known yet.</param>
/// <param name="AllowedAmps">What it is allowed now (the last limit it accepted), or null.</param>
/// <param name="Phases">
/// The grid phases its current counts on: <see cref="PhaseSet.All"/> for a three-phase EVSE; for a single-phase EVSE
/// only the phase it is wired to, if that is known. A single-phase EVSE whose grid phase is not known must be given
/// <see cref="PhaseSet.All"/>, which is never less safe than the truth.
/// </param>
public sealed record EvseDemand(
    string Key,
    string Group,
    decimal MinAmps,
    decimal MaxAmps,
    int Priority,
    DateTimeOffset Arrival,
    decimal? DrawnAmps = null,
    decimal? AllowedAmps = null,
    PhaseSet Phases = PhaseSet.All);

/// <summary>What one EVSE is given: a current limit per phase, or 0 (paused: even its minimum did not fit).</summary>
public sealed record EvseAllocation(string Key, decimal Amps, bool Paused);
