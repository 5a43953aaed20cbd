using System.Globalization;
using Csms.Grains.Hosting;
using Csms.Grains.Interfaces.Sites;
using Csms.Grains.Interfaces.Stations;
using Csms.Grains.SmartCharging;
using Csms.Ocpp;
using Microsoft.Extensions.Logging;

namespace Csms.Grains.Sites;

[GenerateSerializer]
public sealed class SiteState
{
    [Id(0)] public SiteSettings? Settings { get; set; }
    /// <summary>By "{station}/{evse}".</summary>
    [Id(1)] public Dictionary<string, SiteEvseSettings> Evses { get; set; } = [];
    [Id(2)] public decimal? ExternalLimitAmps { get; set; }
    [Id(3)] public decimal PvAmps { get; set; }
    /// <summary>The limit each EVSE last accepted.</summary>
    [Id(4)] public Dictionary<string, decimal> InForce { get; set; } = [];
}

/// <summary>
/// Shares a site's current among the EVSEs of its stations (see <see cref="ISiteGrain"/>). Non-reentrant: sessions,
/// settings and push outcomes are handled one at a time. A push lowers first and raises only once every lowering was
/// accepted; a new allocation asked for meanwhile waits for the push in progress.
/// </summary>
public sealed class SiteGrain(
    [PersistentState("site", CsmsStorage.ProviderName)] IPersistentState<SiteState> state,
    TimeProvider clock,
    ILogger<SiteGrain> logger) : Grain, ISiteGrain
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Periodic = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Session> _sessions = [];
    private readonly HashSet<string> _offline = [];
    private readonly Dictionary<string, string> _lastPush = [];
    private Push? _push;
    private bool _again;
    private IGrainTimer? _recomputeTimer;
    private IGrainTimer? _pollTimer;
    private IReadOnlyList<EvseAllocation> _allocation = [];

    private sealed record Session(bool Charging, DateTimeOffset Arrival, decimal? DrawnAmps);

    /// <summary>A push in progress: its phase, the raises still to send, and the commands sent and not yet settled.</summary>
    private sealed class Push(IReadOnlyList<EvseAllocation> raise)
    {
        public bool Raising { get; set; }
        public IReadOnlyList<EvseAllocation> Raise { get; } = raise;
        public Dictionary<string, (string CommandId, decimal Amps)> Outstanding { get; } = [];
    }

    private string SiteId => this.GetPrimaryKeyString();

    private DateTimeOffset Now => clock.GetUtcNow();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // also on a timer, so a limit lost to a restart or a missed update is corrected
        this.RegisterGrainTimer(_ => Recompute(), new GrainTimerCreationOptions { DueTime = Periodic, Period = Periodic });
        return Task.CompletedTask;
    }

    public async Task Configure(SiteSettings settings)
    {
        if (!Enum.TryParse<AllocationStrategy>(settings.Strategy, ignoreCase: true, out _))
        {
            throw new ArgumentException($"strategy '{settings.Strategy}' is not EqualShare, Priority or FirstCome", nameof(settings));
        }
        // the allocator checks the tree (missing parents, cycles) before anything is stored
        SiteAllocator.Allocate(Nodes(settings, null, 0), [], AllocationStrategy.EqualShare);
        state.State.Settings = settings;
        await state.WriteStateAsync();
        ScheduleRecompute();
    }

    public async Task SetEvse(string stationId, int evseId, SiteEvseSettings settings)
    {
        if (settings.Group is { } group && state.State.Settings?.Groups.Any(g => g.Id == group) != true)
        {
            throw new ArgumentException($"site '{SiteId}' has no group '{group}'", nameof(settings));
        }
        state.State.Evses[Key(stationId, evseId)] = settings;
        await state.WriteStateAsync();
        ScheduleRecompute();
    }

    public async Task SetExternalLimit(decimal? limitAmps, decimal pvAmps)
    {
        state.State.ExternalLimitAmps = limitAmps;
        state.State.PvAmps = Math.Max(0, pvAmps);
        await state.WriteStateAsync();
        ScheduleRecompute();
    }

    public async Task SessionChanged(EvseSessionUpdate update)
    {
        var key = Key(update.StationId, update.EvseId);
        if (!state.State.Evses.ContainsKey(key))
        {
            // an EVSE of a station registered with this site joins with the default settings
            state.State.Evses[key] = new SiteEvseSettings();
            await state.WriteStateAsync();
        }
        var previous = _sessions.GetValueOrDefault(key);
        _sessions[key] = new Session(update.Charging, previous is { Charging: true } ? previous.Arrival : update.At, update.DrawnAmps ?? previous?.DrawnAmps);
        // a start or an end changes the shares; a reading only when it shows the EV leaving part of its share unused, or using it again
        if (previous?.Charging != update.Charging || DrawnChangesShare(key, previous?.DrawnAmps, update.DrawnAmps))
        {
            ScheduleRecompute();
        }
    }

    public async Task StationOnline(string stationId, bool online)
    {
        var changed = online ? _offline.Remove(stationId) : _offline.Add(stationId);
        if (!changed)
        {
            return;
        }
        if (!online)
        {
            // its share goes to the others; what it does meanwhile is unknown, so when it is back its limits are
            // unknown too, and brought down (lowered first) before anything else is raised
            foreach (var key in state.State.InForce.Keys.Where(k => Split(k).StationId == stationId).ToArray())
            {
                state.State.InForce.Remove(key);
            }
            await state.WriteStateAsync();
        }
        ScheduleRecompute();
    }

    public Task<SiteAllocationView> GetAllocation()
    {
        var allocated = _allocation.ToDictionary(a => a.Key);
        var evses = state.State.Evses.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e =>
        {
            var (stationId, evseId) = Split(e.Key);
            var session = _sessions.GetValueOrDefault(e.Key);
            var a = allocated.GetValueOrDefault(e.Key);
            return new SiteEvseAllocation(stationId, evseId, session?.Charging == true, a?.Amps ?? 0, state.State.InForce.TryGetValue(e.Key, out var f) ? f : null,
                session?.DrawnAmps, e.Value.Priority, a?.Paused ?? false, _lastPush.GetValueOrDefault(e.Key));
        }).ToArray();
        return Task.FromResult(new SiteAllocationView(SiteId, EffectiveLimit(), state.State.Settings?.Strategy ?? "EqualShare", evses));
    }

    private decimal EffectiveLimit()
    {
        var capacity = state.State.Settings?.CapacityAmps ?? 0;
        return Math.Min(capacity, state.State.ExternalLimitAmps ?? capacity) + state.State.PvAmps;
    }

    private void ScheduleRecompute()
    {
        _recomputeTimer ??= this.RegisterGrainTimer(async _ =>
        {
            _recomputeTimer?.Dispose();
            _recomputeTimer = null;
            await Recompute();
        }, new GrainTimerCreationOptions { DueTime = Debounce, Period = Timeout.InfiniteTimeSpan });
    }

    private async Task Recompute()
    {
        if (state.State.Settings is not { } settings)
        {
            return;
        }
        if (_push is not null)
        {
            _again = true;
            return;
        }
        var demands = state.State.Evses
            .Where(e => _sessions.GetValueOrDefault(e.Key) is { Charging: true } && !_offline.Contains(Split(e.Key).StationId))
            .Select(e =>
            {
                var s = _sessions[e.Key];
                return new EvseDemand(e.Key, e.Value.Group ?? SiteAllocator.SiteNode, e.Value.MinAmps, e.Value.MaxAmps, e.Value.Priority, s.Arrival,
                    s.DrawnAmps, state.State.InForce.TryGetValue(e.Key, out var f) ? f : null);
            })
            .ToArray();
        var strategy = Enum.Parse<AllocationStrategy>(settings.Strategy, ignoreCase: true);
        var charging = SiteAllocator.Allocate(Nodes(settings, state.State.ExternalLimitAmps, state.State.PvAmps), demands, strategy);
        // EVSEs without a charging session (or on an offline station) are held at 0, so a session that starts there
        // waits for its share instead of drawing an old one
        _allocation = charging.Concat(state.State.Evses.Keys.Where(k => charging.All(a => a.Key != k)).Select(k => new EvseAllocation(k, 0, true)))
            .ToArray();
        var plan = RebalancePlan.Between(state.State.InForce, _allocation.Where(a => !_offline.Contains(Split(a.Key).StationId)).ToArray());
        if (plan.Lower.Count == 0 && plan.Raise.Count == 0)
        {
            return;
        }
        _push = new Push(plan.Raise);
        await Send(plan.Lower);
        if (_push.Outstanding.Count == 0)
        {
            await StartRaising();
        }
    }

    /// <summary>The push is over (done, or held back): a recompute asked for meanwhile runs now.</summary>
    private async Task EndPush()
    {
        _push = null;
        if (_again)
        {
            _again = false;
            await Recompute();
        }
    }

    private async Task Send(IReadOnlyList<EvseAllocation> allocations)
    {
        foreach (var a in allocations)
        {
            var (stationId, evseId) = Split(a.Key);
            var evse = state.State.Evses[a.Key];
            var command = SiteChargingProfiles.Limit(evseId, a.Amps, evse.Phases, Now);
            var station = GrainFactory.GetGrain<IChargingStationGrain>(stationId);
            var version = await StationVersion(station);
            if (version is null)
            {
                _lastPush[a.Key] = "not sent: the station has never connected";
                continue;
            }
            var call = SiteChargingProfiles.Call(command, version.Value);
            var status = await station.SendCommand(new CommandRequest(call.Action, call.Payload.ToJsonString(), CommandTimeout,
                WaitIfOffline: false, RequestedBy: $"site {SiteId}"));
            _push!.Outstanding[a.Key] = (status.CommandId, a.Amps);
            _lastPush[a.Key] = string.Create(CultureInfo.InvariantCulture, $"{a.Amps} A: {status.State}");
        }
        _pollTimer ??= this.RegisterGrainTimer(_ => Poll(), new GrainTimerCreationOptions { DueTime = PollEvery, Period = PollEvery });
    }

    private static async Task<OcppVersion?> StationVersion(IChargingStationGrain station)
    {
        return await station.GetConnection() is { } c && OcppVersions.TryParseNumber(c.Version, out var v) ? v : null;
    }

    private async Task Poll()
    {
        if (_push is null)
        {
            _pollTimer?.Dispose();
            _pollTimer = null;
            return;
        }
        foreach (var (key, (commandId, amps)) in _push.Outstanding.ToArray())
        {
            var status = await GrainFactory.GetGrain<IChargingStationGrain>(Split(key).StationId).GetCommand(commandId);
            if (status is null || status.IsFinal)
            {
                _push.Outstanding.Remove(key);
                _lastPush[key] = string.Create(CultureInfo.InvariantCulture, $"{amps} A: {status?.State.ToString() ?? "lost"}");
                if (status?.State == CommandState.Accepted)
                {
                    state.State.InForce[key] = amps;
                }
                else
                {
                    logger.LogWarning("Site {Site}: {Evse} did not take {Amps} A ({State})", SiteId, key, amps, status?.State);
                }
            }
        }
        if (_push.Outstanding.Count > 0)
        {
            return;
        }
        await state.WriteStateAsync();
        if (!_push.Raising)
        {
            await StartRaising();
            return;
        }
        await EndPush();
    }

    private async Task StartRaising()
    {
        var push = _push!;
        push.Raising = true;
        // only if what is in force after the lowering leaves room: a lowering the station refused keeps its old limit
        var projected = state.State.InForce.Where(f => push.Raise.All(r => r.Key != f.Key)).Sum(f => f.Value) + push.Raise.Sum(r => r.Amps);
        if (projected > EffectiveLimit())
        {
            logger.LogWarning("Site {Site}: raises held back, {Projected} A would exceed {Limit} A (a lowering was refused)", SiteId, projected, EffectiveLimit());
            await EndPush();
            return;
        }
        await Send(push.Raise);
        if (push.Outstanding.Count == 0)
        {
            await EndPush();
        }
    }

    private bool DrawnChangesShare(string key, decimal? before, decimal? now)
    {
        if (now is null || !state.State.InForce.TryGetValue(key, out var allowed))
        {
            return false;
        }
        var unusedBefore = before is { } b && b < allowed - SiteAllocator.UnusedMargin;
        var unusedNow = now < allowed - SiteAllocator.UnusedMargin;
        return unusedBefore != unusedNow || (unusedNow && Math.Abs(now.Value - (before ?? 0)) >= SiteAllocator.Headroom);
    }

    private static List<LimitNode> Nodes(SiteSettings settings, decimal? external, decimal pv)
    {
        var site = Math.Min(settings.CapacityAmps, external ?? settings.CapacityAmps) + pv;
        return [new LimitNode(SiteAllocator.SiteNode, null, site), .. settings.Groups.Select(g => new LimitNode(g.Id, g.Parent ?? SiteAllocator.SiteNode, g.LimitAmps))];
    }

    private static string Key(string stationId, int evseId) => string.Create(CultureInfo.InvariantCulture, $"{stationId}/{evseId}");

    private static (string StationId, int EvseId) Split(string key)
    {
        var slash = key.LastIndexOf('/');
        return (key[..slash], int.Parse(key[(slash + 1)..], CultureInfo.InvariantCulture));
    }
}
