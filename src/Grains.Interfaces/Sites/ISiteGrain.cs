namespace Csms.Grains.Interfaces.Sites;

/// <summary>A group (feeder, circuit) inside a site, with its own limit in amperes per phase.</summary>
[GenerateSerializer, Immutable]
public sealed record SiteGroup([property: Id(0)] string Id, [property: Id(1)] string? Parent, [property: Id(2)] decimal LimitAmps);

/// <summary>
/// A site's grid connection and how its power is shared. Strategy: EqualShare, Priority or FirstCome.
/// </summary>
/// <param name="CapacityAmps">What the grid connection may carry, in amperes on each of its phases.</param>
/// <param name="Phases">1 for a single-phase connection (every EVSE is on its one phase), 3 otherwise.</param>
/// <param name="LeaseSeconds">
/// How long a pushed limit is valid (the profile's validTo). Limits are renewed at half this; a station that stops
/// hearing from us (offline, or refusing) falls back to its fallback profile when the lease runs out, and only then is
/// its share given to others.
/// </param>
/// <param name="FallbackAmps">
/// The per-EVSE limit of the fallback profile every station of the site gets when it connects (a lower stack level,
/// no end). Null: the site's capacity shared equally among all its EVSEs (and within each group's limit), so that
/// even if every station fell back at once the site would hold.
/// </param>
[GenerateSerializer, Immutable]
public sealed record SiteSettings(
    [property: Id(0)] decimal CapacityAmps,
    [property: Id(1)] string Strategy,
    [property: Id(2)] IReadOnlyList<SiteGroup> Groups,
    [property: Id(3)] int Phases = 3,
    [property: Id(4)] int LeaseSeconds = SiteSettings.DefaultLeaseSeconds,
    [property: Id(5)] decimal? FallbackAmps = null)
{
    public const int DefaultLeaseSeconds = 300;

    public const int MinLeaseSeconds = 10;
}

/// <summary>From <paramref name="From"/> on (until the next period), the external limit is <paramref name="LimitAmps"/> (null: none).</summary>
[GenerateSerializer, Immutable]
public sealed record LimitPeriod([property: Id(0)] DateTimeOffset From, [property: Id(1)] decimal? LimitAmps);

/// <summary>
/// An EVSE's place in a site: its group, and what it may be given. Defaults apply to EVSEs that join by themselves.
/// <paramref name="Phase"/> is the grid phase (L1, L2, L3) a single-phase EVSE is wired to; when it is not known the
/// EVSE counts against every phase, which is never less safe than the truth.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SiteEvseSettings(
    [property: Id(0)] string? Group = null,
    [property: Id(1)] decimal MinAmps = 6,
    [property: Id(2)] decimal MaxAmps = 32,
    [property: Id(3)] int Priority = 0,
    [property: Id(4)] int Phases = 3,
    [property: Id(5)] string? Phase = null);

/// <summary>
/// What a station tells its site about one EVSE's session. <paramref name="Charging"/> null: the message did not say
/// (a 2.x TransactionEvent Updated carries chargingState only when it changes), the session keeps what it had.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record EvseSessionUpdate(
    [property: Id(0)] string StationId,
    [property: Id(1)] int EvseId,
    [property: Id(2)] bool? Charging,
    [property: Id(3)] decimal? DrawnAmps,
    [property: Id(4)] DateTimeOffset At);

/// <summary>
/// One EVSE in the live allocation. AllowedAmps: what the site wants it to have; InForceAmps: the limit it accepted
/// (valid until LeaseUntil); FallbackAmps: the fallback profile it accepted; MayDrawAmps: what it may draw now as far
/// as the site can know (its lease, or once that may have run out, the higher of the lease and its fallback, or its
/// maximum if it never accepted a fallback): the figure the site's limits are kept with.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SiteEvseAllocation(
    [property: Id(0)] string StationId,
    [property: Id(1)] int EvseId,
    [property: Id(2)] bool Charging,
    [property: Id(3)] decimal AllowedAmps,
    [property: Id(4)] decimal? InForceAmps,
    [property: Id(5)] decimal? DrawnAmps,
    [property: Id(6)] int Priority,
    [property: Id(7)] bool Paused,
    [property: Id(8)] string? LastPush,
    [property: Id(9)] bool Online = true,
    [property: Id(10)] DateTimeOffset? LeaseUntil = null,
    [property: Id(11)] decimal? FallbackAmps = null,
    [property: Id(12)] decimal MayDrawAmps = 0,
    [property: Id(13)] string? Group = null,
    [property: Id(14)] string? Phase = null);

/// <summary>A limit node (the site, or a group) with what its EVSEs may draw now on each phase.</summary>
[GenerateSerializer, Immutable]
public sealed record SiteNodeLoad(
    [property: Id(0)] string Id,
    [property: Id(1)] decimal LimitAmps,
    [property: Id(2)] decimal L1Amps,
    [property: Id(3)] decimal L2Amps,
    [property: Id(4)] decimal L3Amps);

[GenerateSerializer, Immutable]
public sealed record SiteAllocationView(
    [property: Id(0)] string SiteId,
    [property: Id(1)] decimal EffectiveLimitAmps,
    [property: Id(2)] string Strategy,
    [property: Id(3)] IReadOnlyList<SiteEvseAllocation> Evses,
    [property: Id(4)] SiteSettings? Settings = null,
    [property: Id(5)] decimal? ExternalLimitAmps = null,
    [property: Id(6)] decimal PvAmps = 0,
    [property: Id(7)] IReadOnlyList<LimitPeriod>? Schedule = null,
    [property: Id(8)] IReadOnlyList<SiteNodeLoad>? Nodes = null,
    [property: Id(9)] string? HostedBy = null);

/// <summary>
/// A site (car park, depot, building): shares its grid connection among its EVSEs, live. Stations registered with the
/// site report their sessions; the site recomputes and pushes limits through each station's outbox, lowering before
/// raising so the limit holds at every moment.
/// </summary>
public interface ISiteGrain : IGrainWithStringKey
{
    Task Configure(SiteSettings settings);

    Task SetEvse(string stationId, int evseId, SiteEvseSettings settings);

    /// <summary>
    /// An external limit (e.g. from an energy management system; null removes it), the PV current available now, and
    /// optionally a schedule of limits to come (each period overrides the limit from its start until the next).
    /// </summary>
    Task SetExternalLimit(decimal? limitAmps, decimal pvAmps, IReadOnlyList<LimitPeriod>? schedule = null);

    /// <summary>A station leaves the site (moved to another, or removed): its EVSEs and limits are forgotten, its profiles cleared.</summary>
    Task RemoveStation(string stationId);

    [OneWay]
    Task SessionChanged(EvseSessionUpdate update);

    /// <summary>
    /// A station of the site connected (with the EVSEs it is known to have) or went offline. On a connect the site
    /// assumes nothing it told the station survived (a reboot may lose profiles) and sends its fallback and limits again.
    /// </summary>
    [OneWay]
    Task StationOnline(string stationId, bool online, IReadOnlyList<int> evseIds);

    /// <summary>A station reported EVSEs the site may not know yet: they join with the default settings, held at 0 A until they charge.</summary>
    [OneWay]
    Task EvsesSeen(string stationId, IReadOnlyList<int> evseIds);

    [ReadOnly]
    Task<SiteAllocationView> GetAllocation();
}
