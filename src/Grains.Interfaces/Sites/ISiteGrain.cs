namespace Csms.Grains.Interfaces.Sites;

/// <summary>A group (feeder, circuit) inside a site, with its own limit in amperes per phase.</summary>
[GenerateSerializer, Immutable]
public sealed record SiteGroup([property: Id(0)] string Id, [property: Id(1)] string? Parent, [property: Id(2)] decimal LimitAmps);

/// <summary>A site's grid connection and how its power is shared. Strategy: EqualShare, Priority or FirstCome.</summary>
[GenerateSerializer, Immutable]
public sealed record SiteSettings(
    [property: Id(0)] decimal CapacityAmps,
    [property: Id(1)] string Strategy,
    [property: Id(2)] IReadOnlyList<SiteGroup> Groups);

/// <summary>An EVSE's place in a site: its group, and what it may be given. Defaults apply to EVSEs that join by themselves.</summary>
[GenerateSerializer, Immutable]
public sealed record SiteEvseSettings(
    [property: Id(0)] string? Group = null,
    [property: Id(1)] decimal MinAmps = 6,
    [property: Id(2)] decimal MaxAmps = 32,
    [property: Id(3)] int Priority = 0,
    [property: Id(4)] int Phases = 3);

/// <summary>What a station tells its site about one EVSE's session.</summary>
[GenerateSerializer, Immutable]
public sealed record EvseSessionUpdate(
    [property: Id(0)] string StationId,
    [property: Id(1)] int EvseId,
    [property: Id(2)] bool Charging,
    [property: Id(3)] decimal? DrawnAmps,
    [property: Id(4)] DateTimeOffset At);

/// <summary>One EVSE in the live allocation.</summary>
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
    [property: Id(8)] string? LastPush);

[GenerateSerializer, Immutable]
public sealed record SiteAllocationView(
    [property: Id(0)] string SiteId,
    [property: Id(1)] decimal EffectiveLimitAmps,
    [property: Id(2)] string Strategy,
    [property: Id(3)] IReadOnlyList<SiteEvseAllocation> Evses);

/// <summary>
/// A site (car park, depot, building): shares its grid connection among its EVSEs, live. Stations registered with the
/// site report their sessions; the site recomputes and pushes limits through each station's outbox, lowering before
/// raising so the limit holds at every moment.
/// </summary>
public interface ISiteGrain : IGrainWithStringKey
{
    Task Configure(SiteSettings settings);

    Task SetEvse(string stationId, int evseId, SiteEvseSettings settings);

    /// <summary>An external limit (e.g. from an energy management system; null removes it) and the PV current available now.</summary>
    Task SetExternalLimit(decimal? limitAmps, decimal pvAmps);

    [OneWay]
    Task SessionChanged(EvseSessionUpdate update);

    [OneWay]
    Task StationOnline(string stationId, bool online);

    [ReadOnly]
    Task<SiteAllocationView> GetAllocation();
}
