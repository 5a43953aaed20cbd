using System.Globalization;
using System.Text.Json;
using Csms.Grains.Hosting;
using Csms.Grains.Interfaces.Sites;
using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Live;
using Csms.Grains.SmartCharging;
using Csms.Ocpp;
using Microsoft.Extensions.Logging;

namespace Csms.Grains.Sites;

/// <summary>A session as the site sees it: charging or not, since when, what the EV draws and when the site heard it.</summary>
[GenerateSerializer]
public sealed record SiteSession(
    [property: Id(0)] bool Charging,
    [property: Id(1)] DateTimeOffset Arrival,
    [property: Id(2)] decimal? DrawnAmps,
    [property: Id(3)] DateTimeOffset? DrawnHeardAt = null);

[GenerateSerializer]
public sealed class SiteState
{
    [Id(0)] public SiteSettings? Settings { get; set; }
    /// <summary>By "{station}/{evse}".</summary>
    [Id(1)] public Dictionary<string, SiteEvseSettings> Evses { get; set; } = [];
    [Id(2)] public decimal? ExternalLimitAmps { get; set; }
    [Id(3)] public decimal PvAmps { get; set; }
    /// <summary>The lease (limit) each EVSE last accepted, or may have applied (a push that timed out counts).</summary>
    [Id(4)] public Dictionary<string, decimal> InForce { get; set; } = [];
    /// <summary>When each lease in <see cref="InForce"/> runs out at the station (its profile's validTo).</summary>
    [Id(5)] public Dictionary<string, DateTimeOffset> LeaseUntil { get; set; } = [];
    /// <summary>The fallback each EVSE accepted (absent: none known, the EVSE counts at its maximum once its lease ran out).</summary>
    [Id(6)] public Dictionary<string, decimal> Fallback { get; set; } = [];
    /// <summary>Stations known to be offline.</summary>
    [Id(7)] public HashSet<string> Offline { get; set; } = [];
    /// <summary>External limits to come, by start.</summary>
    [Id(8)] public List<LimitPeriod> Schedule { get; set; } = [];
    /// <summary>Sessions, by EVSE; kept across a re-activation so a failover does not pause them.</summary>
    [Id(9)] public Dictionary<string, SiteSession> Sessions { get; set; } = [];
}

/// <summary>
/// Shares a site's current among the EVSEs of its stations (see <see cref="ISiteGrain"/>). Non-reentrant: sessions,
/// settings and push outcomes are handled one at a time.
/// <para>
/// The invariant is kept on what each EVSE <i>may draw</i> (<see cref="MayDraw"/>), not on what the site would like:
/// an EVSE's lease while the site is sure the station has it, otherwise (offline, refusing, lease running out) the
/// higher of its lease and its fallback. EVSEs the site cannot change now (offline, or refusing) are fixed loads for
/// the allocator; the others are shared what is left. A push lowers first, and raises one by one only where the
/// projected load still fits under every node on every phase.
/// </para>
/// </summary>
public sealed class SiteGrain(
    [PersistentState("site", CsmsStorage.ProviderName)] IPersistentState<SiteState> state,
    LiveEventPublisher live,
    ILocalSiloDetails localSilo,
    TimeProvider clock,
    ILogger<SiteGrain> logger) : Grain, ISiteGrain
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A scheduled external limit is applied this long before it starts, so the lowerings are in before it.</summary>
    public static readonly TimeSpan ScheduleLookahead = TimeSpan.FromSeconds(60);

    /// <summary>After an EVSE refused a profile (or did not answer), the site waits this long before sending it another.</summary>
    private static readonly TimeSpan HoldAfterRefusal = TimeSpan.FromSeconds(60);

    /// <summary>After a profile could not be sent at all (the station was between sockets), the site tries again this soon.</summary>
    private static readonly TimeSpan HoldAfterNotSent = TimeSpan.FromSeconds(3);

    /// <summary>
    /// A reading counts as "draws less than allowed" only if heard this long after the limit changed: an EV takes a
    /// moment to follow a new limit, and a reading from before it (a session's first message says 0 W) says nothing.
    /// </summary>
    public static readonly TimeSpan Ramp = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, string> _lastPush = [];
    private readonly Dictionary<string, DateTimeOffset> _heldUntil = [];
    private readonly Dictionary<string, DateTimeOffset> _limitChangedAt = [];
    private Push? _push;
    private bool _again;
    private IGrainTimer? _recomputeTimer;
    private IGrainTimer? _pollTimer;
    private IGrainTimer? _tickTimer;
    private TimeSpan _tickPeriod;
    private Dictionary<string, decimal> _targets = [];
    private HashSet<string> _paused = [];
    private string? _lastSummary;

    private enum Slot
    {
        Lease,
        Fallback,
    }

    /// <summary>One profile to send: the EVSE, which of its two profiles, the limit, and (for a lease) its end.</summary>
    private sealed record Change(string Key, Slot Slot, decimal Amps, DateTimeOffset? ValidTo);

    /// <summary>A push in progress: its phase, the raises still to send, and the commands sent and not yet settled.</summary>
    private sealed class Push(IReadOnlyList<Change> raise)
    {
        public bool Raising { get; set; }
        public IReadOnlyList<Change> Raise { get; } = raise;
        public Dictionary<(string Key, Slot Slot), (string CommandId, Change Change)> Outstanding { get; } = [];
    }

    private string SiteId => this.GetPrimaryKeyString();

    private DateTimeOffset Now => clock.GetUtcNow();

    private TimeSpan Lease => TimeSpan.FromSeconds(state.State.Settings?.LeaseSeconds ?? SiteSettings.DefaultLeaseSeconds);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ScheduleTick();
        return Task.CompletedTask;
    }

    public async Task Configure(SiteSettings settings)
    {
        if (!Enum.TryParse<AllocationStrategy>(settings.Strategy, ignoreCase: true, out _))
        {
            throw new ArgumentException($"strategy '{settings.Strategy}' is not EqualShare, Priority or FirstCome", nameof(settings));
        }
        if (settings.Phases is not (1 or 3))
        {
            throw new ArgumentException($"phases must be 1 or 3, not {settings.Phases}", nameof(settings));
        }
        if (settings.LeaseSeconds < SiteSettings.MinLeaseSeconds)
        {
            throw new ArgumentException($"leaseSeconds must be at least {SiteSettings.MinLeaseSeconds}, not {settings.LeaseSeconds}", nameof(settings));
        }
        if (settings.FallbackAmps < 0)
        {
            throw new ArgumentException("fallbackAmps must be 0 or more", nameof(settings));
        }
        // the allocator checks the tree (missing parents, cycles) before anything is stored
        SiteAllocator.Allocate(Nodes(settings, settings.CapacityAmps), [], AllocationStrategy.EqualShare);
        var missing = state.State.Evses.FirstOrDefault(e => e.Value.Group is { } g && settings.Groups.All(x => x.Id != g));
        if (missing.Value is not null)
        {
            throw new ArgumentException($"EVSE {missing.Key} is in group '{missing.Value.Group}', which these settings drop; move it first", nameof(settings));
        }
        state.State.Settings = settings;
        await state.WriteStateAsync();
        ScheduleTick();
        ScheduleRecompute();
    }

    public async Task SetEvse(string stationId, int evseId, SiteEvseSettings settings)
    {
        if (settings.Group is { } group && state.State.Settings?.Groups.Any(g => g.Id == group) != true)
        {
            throw new ArgumentException($"site '{SiteId}' has no group '{group}'", nameof(settings));
        }
        if (settings.Phase is not (null or "L1" or "L2" or "L3"))
        {
            throw new ArgumentException($"phase must be L1, L2 or L3 (or absent), not '{settings.Phase}'", nameof(settings));
        }
        state.State.Evses[Key(stationId, evseId)] = settings;
        await state.WriteStateAsync();
        ScheduleRecompute();
    }

    public async Task SetExternalLimit(decimal? limitAmps, decimal pvAmps, IReadOnlyList<LimitPeriod>? schedule = null)
    {
        if (limitAmps < 0 || pvAmps < 0 || schedule?.Any(p => p.LimitAmps < 0) == true)
        {
            throw new ArgumentException("limits and PV are 0 A or more");
        }
        state.State.ExternalLimitAmps = limitAmps;
        state.State.PvAmps = pvAmps;
        state.State.Schedule = schedule?.OrderBy(p => p.From).ToList() ?? [];
        await state.WriteStateAsync();
        ScheduleRecompute();
    }

    public async Task SessionChanged(EvseSessionUpdate update)
    {
        var key = Key(update.StationId, update.EvseId);
        var dirty = false;
        if (!state.State.Evses.ContainsKey(key))
        {
            // an EVSE of a station registered with this site joins with the default settings
            state.State.Evses[key] = new SiteEvseSettings();
            dirty = true;
        }
        var previous = state.State.Sessions.GetValueOrDefault(key);
        var charging = update.Charging ?? previous?.Charging ?? true;
        state.State.Sessions[key] = new SiteSession(charging, previous is { Charging: true } ? previous.Arrival : update.At,
            update.DrawnAmps ?? previous?.DrawnAmps, update.DrawnAmps is null ? previous?.DrawnHeardAt : Now);
        if (previous?.Charging != charging)
        {
            dirty = true;
        }
        // a station that talks is online, even if its connect was missed
        dirty |= state.State.Offline.Remove(update.StationId);
        if (dirty)
        {
            await state.WriteStateAsync();
        }
        // a start or an end changes the shares; a reading only when it shows the EV leaving part of its share unused, or using it again
        if (previous?.Charging != charging || DrawnChangesShare(key, previous?.DrawnAmps, update.DrawnAmps))
        {
            ScheduleRecompute();
        }
    }

    public async Task StationOnline(string stationId, bool online, IReadOnlyList<int> evseIds)
    {
        var changed = Join(stationId, evseIds);
        changed |= online ? state.State.Offline.Remove(stationId) : state.State.Offline.Add(stationId);
        if (online)
        {
            // connected (again): what it was told may have been lost with a restart, so until it accepts its fallback
            // and limits again it counts at its maximum, and they are sent at once
            foreach (var key in KeysOf(stationId))
            {
                changed |= ForgetLimits(key);
            }
        }
        if (!changed)
        {
            return;
        }
        await state.WriteStateAsync();
        ScheduleRecompute();
    }

    public async Task EvsesSeen(string stationId, IReadOnlyList<int> evseIds)
    {
        if (Join(stationId, evseIds))
        {
            await state.WriteStateAsync();
            ScheduleRecompute();
        }
    }

    /// <summary>Forgets what the EVSE was told and any hold on it: it counts at its maximum until told again. True if there was anything.</summary>
    private bool ForgetLimits(string key)
    {
        _heldUntil.Remove(HoldKey(key, Slot.Lease));
        _heldUntil.Remove(HoldKey(key, Slot.Fallback));
        return state.State.Fallback.Remove(key) | state.State.InForce.Remove(key) | state.State.LeaseUntil.Remove(key);
    }

    /// <summary>EVSEs new to the site join with the default settings; true if any did.</summary>
    private bool Join(string stationId, IReadOnlyList<int> evseIds)
    {
        var joined = false;
        foreach (var evseId in evseIds.Where(e => e >= 1))
        {
            joined |= state.State.Evses.TryAdd(Key(stationId, evseId), new SiteEvseSettings());
        }
        return joined;
    }

    public async Task RemoveStation(string stationId)
    {
        var keys = KeysOf(stationId);
        if (keys.Length == 0)
        {
            return;
        }
        var station = GrainFactory.GetGrain<IChargingStationGrain>(stationId);
        var version = await StationVersion(station);
        foreach (var key in keys)
        {
            var evseId = Split(key).EvseId;
            if (version is { } v)
            {
                // best effort: a station that is offline keeps them, and its lease runs out by itself
                foreach (var id in new[] { SiteChargingProfiles.IdBase + evseId, SiteChargingProfiles.FallbackIdBase + evseId })
                {
                    var call = SiteChargingProfiles.Call(SiteChargingProfiles.Clear(id), v);
                    await station.SendCommand(new CommandRequest(call.Action, call.Payload.ToJsonString(), CommandTimeout,
                        WaitIfOffline: false, ExpiresAfter: Lease, RequestedBy: $"site {SiteId}"));
                }
            }
            ForgetLimits(key);
            state.State.Evses.Remove(key);
            state.State.Sessions.Remove(key);
            _lastPush.Remove(key);
        }
        state.State.Offline.Remove(stationId);
        await state.WriteStateAsync();
        Publish(stationId, "SiteLimit", $"left site {SiteId}: its profiles are cleared", null);
        ScheduleRecompute();
    }

    public Task<SiteAllocationView> GetAllocation()
    {
        var now = Now;
        var evses = state.State.Evses.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e =>
        {
            var (stationId, evseId) = Split(e.Key);
            var session = state.State.Sessions.GetValueOrDefault(e.Key);
            return new SiteEvseAllocation(stationId, evseId, session?.Charging == true, _targets.GetValueOrDefault(e.Key),
                Find(state.State.InForce, e.Key), session?.DrawnAmps, e.Value.Priority, _paused.Contains(e.Key),
                _lastPush.GetValueOrDefault(e.Key), !state.State.Offline.Contains(stationId), Find(state.State.LeaseUntil, e.Key),
                Find(state.State.Fallback, e.Key), MayDraw(e.Key, now), e.Value.Group, PhaseName(e.Key));
        }).ToArray();
        var settings = state.State.Settings;
        var limit = settings is null ? 0 : SiteLimit(settings, now);
        var nodes = settings is null ? [] : NodeLoads(Nodes(settings, limit), k => MayDraw(k, now));
        return Task.FromResult(new SiteAllocationView(SiteId, limit, settings?.Strategy ?? "EqualShare", evses,
            settings, state.State.ExternalLimitAmps, state.State.PvAmps, state.State.Schedule, nodes, localSilo.SiloAddress.ToString()));
    }

    private void ScheduleTick()
    {
        // renewals are due at half a lease, and trust ends at a quarter before its end: look often enough to catch both
        var period = TimeSpan.FromTicks(Math.Clamp(Lease.Ticks / 10, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromSeconds(30).Ticks));
        if (_tickTimer is not null && period == _tickPeriod)
        {
            return;
        }
        _tickTimer?.Dispose();
        _tickPeriod = period;
        // KeepAlive: the site must stay active to renew its leases (if it is lost anyway, the stations fall back safely)
        _tickTimer = this.RegisterGrainTimer(_ => Recompute(), new GrainTimerCreationOptions { DueTime = period, Period = period, KeepAlive = true });
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

    /// <summary>A recompute when a hold ends (the periodic one may be up to 30 s away).</summary>
    private void RecomputeAfter(TimeSpan delay)
    {
        IGrainTimer? timer = null;
        timer = this.RegisterGrainTimer(_ =>
        {
            timer?.Dispose();
            ScheduleRecompute();
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions { DueTime = delay + TimeSpan.FromMilliseconds(10), Period = Timeout.InfiniteTimeSpan });
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
        var now = Now;
        PruneSchedule(now);
        var siteLimit = SiteLimit(settings, now);

        // what the site can change now: EVSEs of online stations that are not refusing; the others are fixed loads at
        // what they may draw. So are, for the others' shares, EVSEs whose lease is running out unrenewed: they may
        // soon draw their fallback, and the others make room for it before it can happen
        var managed = state.State.Evses.Keys.Where(k => Manageable(k, now)).ToHashSet(StringComparer.Ordinal);
        var running = managed.Where(k => LeaseRunningOut(k, now)).ToHashSet(StringComparer.Ordinal);
        var unreachable = state.State.Evses.Keys.Where(k => !managed.Contains(k)).Select(k => Fixed(k, now)).ToArray();
        var strategy = Enum.Parse<AllocationStrategy>(settings.Strategy, ignoreCase: true);
        var nodes = Nodes(settings, siteLimit);
        var allocation = SiteAllocator.Allocate(nodes, Demands(managed.Where(k => !running.Contains(k))), strategy,
            [.. unreachable, .. running.Select(k => Fixed(k, now))]).ToList();
        if (running.Count > 0)
        {
            // their own new lease: their share as if they were sure (it can only bring what they may draw down, or be checked as a raise)
            allocation.AddRange(SiteAllocator.Allocate(nodes, Demands(managed), strategy, unreachable).Where(a => running.Contains(a.Key)));
        }
        // EVSEs without a charging session are held at 0, so a session that starts there waits for its share
        // instead of drawing an old one
        _targets = managed.ToDictionary(k => k, k => allocation.FirstOrDefault(a => a.Key == k)?.Amps ?? 0m, StringComparer.Ordinal);
        _paused = allocation.Where(a => a.Paused).Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        PublishSummary(siteLimit, allocation.Count, unreachable);

        var fallbacks = FallbackTargets(settings);
        var lower = new List<Change>();
        var raise = new List<Change>();
        foreach (var key in managed.OrderBy(k => k, StringComparer.Ordinal))
        {
            // the lease before the fallback: a station takes them in order, and a fallback below a lease it does not
            // have yet would, for a moment, let the EVSE draw less than the lease that follows (a rise)
            var changes = new List<Change>();
            var target = _targets[key];
            if (!state.State.InForce.TryGetValue(key, out var current) || current != target || RenewalDue(key, now))
            {
                changes.Add(new Change(key, Slot.Lease, target, LeaseEnd(now)));
            }
            if ((!state.State.Fallback.TryGetValue(key, out var fb) || fb != fallbacks[key]) && !Held(key, Slot.Fallback, now))
            {
                changes.Add(new Change(key, Slot.Fallback, fallbacks[key], null));
            }
            foreach (var change in changes)
            {
                // safe at any moment if it cannot raise what the EVSE may draw; otherwise only once there is room
                (MayDrawAfter(key, now, change) <= MayDraw(key, now) ? lower : raise).Add(change);
            }
        }
        if (lower.Count == 0 && raise.Count == 0)
        {
            return;
        }
        _push = new Push(raise);
        await Send(lower);
        if (_push.Outstanding.Count == 0)
        {
            await StartRaising();
        }
    }

    private EvseDemand[] Demands(IEnumerable<string> keys) => keys
        .Where(k => state.State.Sessions.GetValueOrDefault(k) is { Charging: true })
        .Select(k =>
        {
            var evse = state.State.Evses[k];
            var s = state.State.Sessions[k];
            // only a reading heard a while after its limit last changed says whether the EV uses it
            var current = s.DrawnHeardAt is { } heard && (!_limitChangedAt.TryGetValue(k, out var changed) || heard >= changed + Ramp);
            return new EvseDemand(k, GroupOf(k), evse.MinAmps, evse.MaxAmps, evse.Priority, s.Arrival, current ? s.DrawnAmps : null,
                Find(state.State.InForce, k), PhasesOf(k));
        })
        .ToArray();

    private FixedLoad Fixed(string key, DateTimeOffset now) => new(key, GroupOf(key), MayDraw(key, now), PhasesOf(key));

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

    private async Task Send(IReadOnlyList<Change> changes)
    {
        foreach (var stationChanges in changes.GroupBy(c => Split(c.Key).StationId))
        {
            var station = GrainFactory.GetGrain<IChargingStationGrain>(stationChanges.Key);
            var version = await StationVersion(station);
            foreach (var change in stationChanges)
            {
                if (version is null)
                {
                    _lastPush[change.Key] = "not sent: the station has never connected";
                    continue;
                }
                var (_, evseId) = Split(change.Key);
                var phases = NumberPhases(change.Key);
                var command = change.Slot == Slot.Lease
                    ? SiteChargingProfiles.Limit(evseId, change.Amps, phases, Now, change.ValidTo)
                    : SiteChargingProfiles.Fallback(evseId, change.Amps, phases, Now);
                var call = SiteChargingProfiles.Call(command, version.Value);
                var status = await station.SendCommand(new CommandRequest(call.Action, call.Payload.ToJsonString(), CommandTimeout,
                    WaitIfOffline: false, ExpiresAfter: Lease / 2, RequestedBy: $"site {SiteId}"));
                _push!.Outstanding[(change.Key, change.Slot)] = (status.CommandId, change);
            }
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
        var settled = false;
        foreach (var ((key, slot), (commandId, change)) in _push.Outstanding.ToArray())
        {
            var stationId = Split(key).StationId;
            var status = await GrainFactory.GetGrain<IChargingStationGrain>(stationId).GetCommand(commandId);
            if (status is not null && !status.IsFinal)
            {
                continue;
            }
            _push.Outstanding.Remove((key, slot));
            settled = true;
            Settle(change, status?.State);
        }
        if (settled)
        {
            await state.WriteStateAsync();
        }
        if (_push.Outstanding.Count > 0)
        {
            return;
        }
        if (!_push.Raising)
        {
            await StartRaising();
            return;
        }
        await EndPush();
    }

    /// <summary>Records a push's outcome: applied when accepted, not applied when refused, and "may have been applied" when unknown.</summary>
    private void Settle(Change change, CommandState? outcome)
    {
        var key = change.Key;
        var what = change.Slot == Slot.Lease
            ? string.Create(CultureInfo.InvariantCulture, $"{change.Amps} A until {change.ValidTo:HH:mm:ss}")
            : string.Create(CultureInfo.InvariantCulture, $"fallback {change.Amps} A");
        var result = outcome?.ToString() ?? "lost";
        var maybeApplied = outcome is null or CommandState.TimedOut;
        if (outcome == CommandState.Accepted || maybeApplied)
        {
            if (change.Slot == Slot.Lease)
            {
                // unknown: the higher of old and new, and the later end, so what it may draw is never under-counted
                var amps = outcome == CommandState.Accepted ? change.Amps : Math.Max(change.Amps, state.State.InForce.GetValueOrDefault(key));
                if (!state.State.InForce.TryGetValue(key, out var before) || before != amps)
                {
                    _limitChangedAt[key] = Now;
                }
                var until = outcome == CommandState.Accepted || !state.State.LeaseUntil.TryGetValue(key, out var old) || old < change.ValidTo!.Value
                    ? change.ValidTo!.Value
                    : old;
                state.State.InForce[key] = amps;
                state.State.LeaseUntil[key] = until;
            }
            else if (outcome == CommandState.Accepted)
            {
                state.State.Fallback[key] = change.Amps;
            }
            else if (state.State.Fallback.TryGetValue(key, out var old))
            {
                state.State.Fallback[key] = Math.Max(old, change.Amps);
            }
        }
        if (outcome != CommandState.Accepted)
        {
            // the others are shared again around what this one may still draw, once this push is over
            _again = true;
            var hold = outcome is CommandState.Cancelled or CommandState.Expired ? HoldAfterNotSent : HoldAfterRefusal;
            _heldUntil[HoldKey(key, change.Slot)] = Now + hold;
            RecomputeAfter(hold);
            logger.LogWarning("Site {Site}: {Evse} did not take {What} ({State})", SiteId, key, what, result);
        }
        _lastPush[key] = $"{what}: {result}";
        var (stationId, evseId) = Split(key);
        Publish(stationId, "SiteLimit", string.Create(CultureInfo.InvariantCulture, $"EVSE {evseId}: {what}: {result}"),
            JsonSerializer.Serialize(new { evseId, profile = change.Slot.ToString(), amps = change.Amps, validTo = change.ValidTo, outcome = result }));
    }

    /// <summary>Raises, one by one, each only if what every EVSE may draw afterwards still fits under every node on every phase.</summary>
    private async Task StartRaising()
    {
        var push = _push!;
        push.Raising = true;
        var now = Now;
        var settings = state.State.Settings!;
        var nodes = Nodes(settings, SiteLimit(settings, now));
        var mayDraw = state.State.Evses.Keys.ToDictionary(k => k, k => MayDraw(k, now), StringComparer.Ordinal);
        var allowed = new List<Change>();
        foreach (var change in push.Raise)
        {
            var before = mayDraw[change.Key];
            mayDraw[change.Key] = Math.Max(before, MayDrawAfter(change.Key, now, change));
            if (Fits(nodes, mayDraw))
            {
                allowed.Add(change);
            }
            else
            {
                mayDraw[change.Key] = before;
                _lastPush[change.Key] = string.Create(CultureInfo.InvariantCulture, $"{change.Amps} A held back: no room until other EVSEs come down");
            }
        }
        await Send(allowed);
        if (push.Outstanding.Count == 0)
        {
            await EndPush();
        }
    }

    /// <summary>
    /// What the EVSE may draw now, as far as the site can know: its lease while the site is sure of it (online, accepted,
    /// not near its end); otherwise the higher of the lease (until it ends) and the fallback, or the EVSE's maximum
    /// when it never accepted a fallback.
    /// </summary>
    private decimal MayDraw(string key, DateTimeOffset now) => MayDraw(key, now, Find(state.State.InForce, key),
        Find(state.State.LeaseUntil, key), Find(state.State.Fallback, key));

    private decimal MayDrawAfter(string key, DateTimeOffset now, Change change) => change.Slot == Slot.Lease
        ? MayDraw(key, now, change.Amps, change.ValidTo, Find(state.State.Fallback, key))
        : MayDraw(key, now, Find(state.State.InForce, key), Find(state.State.LeaseUntil, key), change.Amps);

    private decimal MayDraw(string key, DateTimeOffset now, decimal? lease, DateTimeOffset? leaseUntil, decimal? fallback)
    {
        var evse = state.State.Evses[key];
        // a lease recorded without an end (from before leases) never ends
        var until = leaseUntil ?? DateTimeOffset.MaxValue;
        var liveLease = lease is not null && until > now ? lease : null;
        var sure = liveLease is not null && !state.State.Offline.Contains(Split(key).StationId) && until - now > Lease / 4;
        return sure ? liveLease!.Value : Math.Max(liveLease ?? 0, fallback ?? evse.MaxAmps);
    }

    /// <summary>Online, and not refusing its lease: the site can change what it may draw. (A refused fallback alone does not count.)</summary>
    private bool Manageable(string key, DateTimeOffset now) => !state.State.Offline.Contains(Split(key).StationId) && !Held(key, Slot.Lease, now);

    private bool Held(string key, Slot slot, DateTimeOffset now) => _heldUntil.TryGetValue(HoldKey(key, slot), out var until) && until > now;

    private static string HoldKey(string key, Slot slot) => $"{key}#{slot}";

    /// <summary>A lease the site is no longer sure of (a quarter of it or less left, or over) on an EVSE that has had one.</summary>
    private bool LeaseRunningOut(string key, DateTimeOffset now) =>
        state.State.InForce.ContainsKey(key) && state.State.LeaseUntil.TryGetValue(key, out var until) && until - now <= Lease / 4;

    /// <summary>
    /// The end of a lease sent now: the second boundary of the half-lease grid from now, so between half a lease and a
    /// lease ahead. Every lease the site sends within one half-lease ends at the same moment, so if the site is cut
    /// off, its stations fall back together, from leases that fit to fallbacks that fit, not a mix of both.
    /// </summary>
    private DateTimeOffset LeaseEnd(DateTimeOffset now)
    {
        var half = Lease.Ticks / 2;
        return new DateTimeOffset((now.UtcTicks / half + 2) * half, TimeSpan.Zero);
    }

    private bool RenewalDue(string key, DateTimeOffset now) =>
        !state.State.LeaseUntil.TryGetValue(key, out var until) || until - now < Lease / 2;

    /// <summary>
    /// The fallback of every EVSE: the configured figure, or the site's capacity (not an external limit or PV, which
    /// come and go) shared equally among all its EVSEs within their groups, so the site holds even if all fall back at
    /// once. A share below the EVSE's minimum is 0: it could not charge on it anyway.
    /// </summary>
    private Dictionary<string, decimal> FallbackTargets(SiteSettings settings)
    {
        if (settings.FallbackAmps is { } configured)
        {
            return state.State.Evses.ToDictionary(e => e.Key, e => Math.Min(configured, e.Value.MaxAmps), StringComparer.Ordinal);
        }
        var everyone = state.State.Evses.Select(e => new EvseDemand(e.Key, GroupOf(e.Key), 0, e.Value.MaxAmps, 0, DateTimeOffset.MinValue,
            Phases: PhasesOf(e.Key))).ToArray();
        return SiteAllocator.Allocate(Nodes(settings, settings.CapacityAmps), everyone, AllocationStrategy.EqualShare)
            .ToDictionary(a => a.Key, a => a.Amps >= state.State.Evses[a.Key].MinAmps ? a.Amps : 0m, StringComparer.Ordinal);
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

    /// <summary>The site's own limit now: its capacity, or a lower external limit (the lowest starting within the lookahead), plus PV.</summary>
    private decimal SiteLimit(SiteSettings settings, DateTimeOffset now)
    {
        var external = ExternalLimitAt(now);
        foreach (var period in state.State.Schedule.Where(p => p.From > now && p.From <= now + ScheduleLookahead))
        {
            external = Lowest(external, period.LimitAmps);
        }
        return Math.Min(settings.CapacityAmps, external ?? settings.CapacityAmps) + state.State.PvAmps;
    }

    private decimal? ExternalLimitAt(DateTimeOffset now) =>
        state.State.Schedule.LastOrDefault(p => p.From <= now) is { } current ? current.LimitAmps : state.State.ExternalLimitAmps;

    private static decimal? Lowest(decimal? a, decimal? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    /// <summary>Periods that are over (a later one has started) go; the one in force becomes the plain external limit.</summary>
    private void PruneSchedule(DateTimeOffset now)
    {
        var started = state.State.Schedule.Count(p => p.From <= now);
        if (started > 0)
        {
            state.State.ExternalLimitAmps = state.State.Schedule[started - 1].LimitAmps;
            state.State.Schedule.RemoveRange(0, started);
        }
    }

    private static List<LimitNode> Nodes(SiteSettings settings, decimal siteLimit) =>
        [new LimitNode(SiteAllocator.SiteNode, null, siteLimit), .. settings.Groups.Select(g => new LimitNode(g.Id, g.Parent ?? SiteAllocator.SiteNode, g.LimitAmps))];

    /// <summary>Whether <paramref name="mayDraw"/> fits under every node on every phase.</summary>
    private bool Fits(IReadOnlyList<LimitNode> nodes, IReadOnlyDictionary<string, decimal> mayDraw) =>
        NodeLoads(nodes, k => mayDraw[k]).All(n => Math.Max(n.L1Amps, Math.Max(n.L2Amps, n.L3Amps)) <= n.LimitAmps);

    private SiteNodeLoad[] NodeLoads(IReadOnlyList<LimitNode> nodes, Func<string, decimal> mayDraw)
    {
        var byId = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var load = nodes.ToDictionary(n => n.Id, _ => new decimal[3], StringComparer.Ordinal);
        foreach (var key in state.State.Evses.Keys)
        {
            var amps = mayDraw(key);
            var phases = PhasesOf(key);
            for (var node = byId.GetValueOrDefault(GroupOf(key)); node is not null; node = node.Parent is null ? null : byId.GetValueOrDefault(node.Parent))
            {
                for (var p = 0; p < 3; p++)
                {
                    if (((int)phases & (1 << p)) != 0)
                    {
                        load[node.Id][p] += amps;
                    }
                }
            }
        }
        return nodes.Select(n => new SiteNodeLoad(n.Id, n.LimitAmps, load[n.Id][0], load[n.Id][1], load[n.Id][2])).ToArray();
    }

    private string GroupOf(string key) => state.State.Evses[key].Group ?? SiteAllocator.SiteNode;

    /// <summary>The grid phases an EVSE draws on: one for a single-phase site or a single-phase EVSE wired to a known phase, else all.</summary>
    private PhaseSet PhasesOf(string key)
    {
        var evse = state.State.Evses[key];
        if (state.State.Settings?.Phases == 1)
        {
            return PhaseSet.L1;
        }
        return evse.Phases == 1 ? evse.Phase switch { "L1" => PhaseSet.L1, "L2" => PhaseSet.L2, "L3" => PhaseSet.L3, _ => PhaseSet.All } : PhaseSet.All;
    }

    private string? PhaseName(string key) => PhasesOf(key) is var phases && phases == PhaseSet.All ? null : phases.ToString();

    private int NumberPhases(string key) => state.State.Settings?.Phases == 1 ? 1 : state.State.Evses[key].Phases;

    private string[] KeysOf(string stationId) => state.State.Evses.Keys.Where(k => Split(k).StationId == stationId).ToArray();

    /// <summary>A site event when the shares change (not on every renewal).</summary>
    private void PublishSummary(decimal siteLimit, int charging, IReadOnlyList<FixedLoad> fixedLoads)
    {
        var shares = string.Join(", ", _targets.Where(t => t.Value > 0).OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Value} A")));
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"limit {siteLimit} A; {charging} charging; {fixedLoads.Count} not reachable (counted at {fixedLoads.Sum(f => f.Amps)} A); shares: {(shares.Length == 0 ? "none" : shares)}");
        if (summary == _lastSummary)
        {
            return;
        }
        _lastSummary = summary;
        Publish(null, "SiteAllocation", summary,
            JsonSerializer.Serialize(new { limitAmps = siteLimit, allowed = _targets, paused = _paused, unreachable = fixedLoads.Select(f => new { evse = f.Key, amps = f.Amps }) }));
    }

    private void Publish(string? stationId, string kind, string detail, string? dataJson) =>
        live.Publish(new PendingLiveEvent(Now, stationId, SiteId, kind, detail, dataJson));

    /// <summary>The value for <paramref name="key"/>, or null when there is none.</summary>
    private static TValue? Find<TValue>(Dictionary<string, TValue> values, string key) where TValue : struct =>
        values.TryGetValue(key, out var value) ? value : null;

    private static string Key(string stationId, int evseId) => string.Create(CultureInfo.InvariantCulture, $"{stationId}/{evseId}");

    private static (string StationId, int EvseId) Split(string key)
    {
        var slash = key.LastIndexOf('/');
        return (key[..slash], int.Parse(key[(slash + 1)..], CultureInfo.InvariantCulture));
    }
}
