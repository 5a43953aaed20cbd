using System.Globalization;
using System.Text.Json;
using Csms.Grains.Interfaces.Sites;
using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Sites;
using Csms.Grains.SmartCharging;
using Csms.Grains.Tests.Cluster;
using Csms.Ocpp;

namespace Csms.Grains.Tests.Sites;

/// <summary>
/// A site grain with real station grains, whose stations are played by the test: they answer every profile (or refuse
/// it), keep the profiles they accepted as a station does (the lease wins while its validTo has not passed, then the
/// fallback below it, and without either the EVSE's maximum), and the test checks after every change that what all
/// EVSEs may draw together, offline ones included, stays within the site's limit whenever anything went up.
/// </summary>
[Collection(AcceptAllCollection.Name)]
public class SiteGrainTests(AcceptAllCluster fixture)
{
    [Fact]
    public async Task Ten_sessions_on_a_63_A_site_converge_to_equal_shares_and_lowering_the_limit_lowers_everyone_without_ever_exceeding_it()
    {
        var site = new SiteRig(fixture, 63m);
        await site.StartStations(10);

        await site.AcceptUntil(view => view.Evses.Count == 10 && view.Evses.All(e => e.InForceAmps == 6.3m && e.FallbackAmps == 6.3m));

        site.Limit = 40m;
        await site.Grain.SetExternalLimit(40m, 0);
        var lowered = await site.AcceptUntil(view => view.Evses.Count(e => e.Paused) == 4
            && view.Evses.All(e => e.InForceAmps == e.AllowedAmps));
        // 40 A does not hold ten minimums of 6 A: the latest sessions are paused (0 A), the others share 40 A equally
        // (6.6 A each and the last steps of 0.1 A one each)
        Assert.All(lowered.Evses.Where(e => e.Paused), e => Assert.Equal(0m, e.InForceAmps));
        Assert.All(lowered.Evses.Where(e => !e.Paused), e => Assert.InRange(e.InForceAmps!.Value, 6.6m, 6.7m));
        Assert.Equal(40m, lowered.Evses.Sum(e => e.InForceAmps));
        // every lowering was accepted before the first raise (the paused ones' 6.3 → 0 and the others' 6.3 → 6.6)
        var firstRaise = site.Accepted.FindIndex(a => a.Amps > 6.3m && !a.Fallback);
        var lastLowering = site.Accepted.FindLastIndex(a => a.Amps == 0m && !a.Fallback);
        Assert.True(lastLowering < firstRaise, string.Join(", ", site.Accepted));
    }

    [Fact]
    public async Task When_a_session_ends_its_share_goes_to_the_others_after_its_own_limit_came_down()
    {
        var site = new SiteRig(fixture, 30m);
        var transactions = await site.StartStations(3);
        await site.AcceptUntil(view => view.Evses.Count == 3 && view.Evses.All(e => e.InForceAmps == 10m));

        await site.Stations[0].CallOk("StopTransaction", V16LifecycleTests.StopTransaction(transactions[0], 100, 30));

        var after = await site.AcceptUntil(view => view.Evses.Count(e => e.InForceAmps == 15m) == 2);
        Assert.Equal(0m, after.Evses.Single(e => e.StationId == site.Stations[0].StationId).InForceAmps);
        // the order the limits were accepted in: the stopped EVSE's 0 A before any 15 A
        var firstRaise = site.Accepted.FindIndex(a => a.Amps == 15m);
        var zero = site.Accepted.FindIndex(a => a.Amps == 0m && !a.Fallback);
        Assert.True(zero >= 0 && zero < firstRaise, string.Join(", ", site.Accepted));
    }

    [Fact]
    public async Task A_station_that_goes_offline_keeps_its_share_until_its_lease_ends_then_only_its_fallback_is_kept_for_it()
    {
        // three stations on 36 A, two charging: 18 A each while online; each EVSE's fallback is 36 / 3 = 12 A
        var site = new SiteRig(fixture, 36m) { LeaseSeconds = 12 };
        await site.StartStations(3, charging: 2);
        await site.AcceptUntil(view => view.Evses.Count == 3 && view.Evses.Count(e => e.InForceAmps == 18m) == 2
            && view.Evses.All(e => e.FallbackAmps == 12m));

        var gone = site.Stations[1];
        var before = await site.Grain.GetAllocation();
        var leaseEnd = before.Evses.Single(e => e.StationId == gone.StationId).LeaseUntil!.Value;
        await gone.Grain.Disconnect(gone.Epoch, "test: power cut");

        // it may still draw its 18 A until its lease ends (the test station keeps the profile): nobody is raised
        // before then; afterwards it can draw only its 12 A fallback, and the other charging EVSE gets the rest
        var after = await site.AcceptUntil(view => view.Evses.Any(e => e.InForceAmps == 24m), TimeSpan.FromSeconds(40));
        var raisedAt = site.Accepted.Last(a => a.Amps == 24m).At;
        Assert.True(raisedAt >= leaseEnd, $"raised at {raisedAt:O}, before the offline station's lease ended at {leaseEnd:O}");
        var offline = after.Evses.Single(e => e.StationId == gone.StationId);
        Assert.False(offline.Online);
        Assert.Equal(12m, offline.MayDrawAmps);
    }

    [Fact]
    public async Task A_station_that_refuses_profiles_is_counted_at_its_maximum_and_the_others_share_the_rest()
    {
        var site = new SiteRig(fixture, 63m);
        await site.StartStations(3);
        site.Refuse(site.Stations[2]);

        // the refusing EVSE has no fallback and no lease: it may draw its 32 A, so the other two share 31 A
        var view = await site.AcceptUntil(v => v.Evses.Count(e => e.InForceAmps == 15.5m) == 2, TimeSpan.FromSeconds(30));
        var refusing = view.Evses.Single(e => e.StationId == site.Stations[2].StationId);
        Assert.Null(refusing.FallbackAmps);
        Assert.Equal(32m, refusing.MayDrawAmps);
        Assert.Contains("Rejected", refusing.LastPush);
    }

    [Fact]
    public async Task A_station_that_connects_gets_its_fallback_and_a_0_A_hold_for_each_EVSE_it_reports_before_any_session()
    {
        var site = new SiteRig(fixture, 40m) { LeaseSeconds = 60 };
        await site.Grain.Configure(new SiteSettings(40m, "EqualShare", [], LeaseSeconds: 60));
        var station = await site.AddStation();
        await station.CallOk("StatusNotification", """{"connectorId":1,"errorCode":"NoError","status":"Available"}""");
        await station.CallOk("StatusNotification", """{"connectorId":2,"errorCode":"NoError","status":"Available"}""");

        var view = await site.AcceptUntil(v => v.Evses.Count == 2 && v.Evses.All(e => e.InForceAmps == 0m && e.FallbackAmps == 20m));
        Assert.All(view.Evses, e => Assert.False(e.Charging));
        var profiles = site.Profiles(station);
        Assert.Equal([SiteChargingProfiles.FallbackStackLevel, SiteChargingProfiles.StackLevel], profiles.Select(p => p.StackLevel).Distinct().Order());
        Assert.All(profiles.Where(p => p.StackLevel == SiteChargingProfiles.StackLevel), p => Assert.NotNull(p.ValidTo));
        Assert.All(profiles.Where(p => p.StackLevel == SiteChargingProfiles.FallbackStackLevel), p => Assert.Null(p.ValidTo));
    }

    [Fact]
    public async Task An_EV_that_draws_less_than_it_may_is_capped_near_its_draw_and_the_rest_goes_to_the_other()
    {
        var site = new SiteRig(fixture, 40m);
        var transactions = await site.StartStations(2);
        await site.AcceptUntil(v => v.Evses.Count == 2 && v.Evses.All(e => e.InForceAmps == 20m));

        // a reading from before the EV could follow its limit says nothing; one heard after the ramp time does
        await Task.Delay(SiteGrain.Ramp);
        var fourAmps = (4 * 3 * 230).ToString(CultureInfo.InvariantCulture);
        await site.Stations[0].CallOk("MeterValues", $$"""
            {"connectorId":1,"transactionId":{{transactions[0]}},"meterValue":[{"timestamp":"{{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}}",
            "sampledValue":[{"value":"{{fourAmps}}","measurand":"Power.Active.Import","unit":"W"}]}]}
            """);

        // 4 A drawn: capped at its 6 A minimum (4 A + 2 A headroom), the other gets its 32 A maximum
        var view = await site.AcceptUntil(v => v.Evses.Any(e => e.InForceAmps == 6m) && v.Evses.Any(e => e.InForceAmps == 32m));
        Assert.Equal(4m, view.Evses.Single(e => e.StationId == site.Stations[0].StationId).DrawnAmps);
    }

    [Fact]
    public async Task Leases_are_renewed_before_they_run_out()
    {
        var site = new SiteRig(fixture, 32m) { LeaseSeconds = 10 };
        await site.StartStations(1);
        var first = await site.AcceptUntil(v => v.Evses.Count == 1 && v.Evses[0].InForceAmps == 32m);
        var firstEnd = first.Evses[0].LeaseUntil!.Value;

        var renewed = await site.AcceptUntil(v => v.Evses[0].LeaseUntil > firstEnd, TimeSpan.FromSeconds(15));
        Assert.Equal(32m, renewed.Evses[0].InForceAmps);
        // renewed while the first lease was still running, so the EVSE never fell back
        Assert.True(site.Accepted.Count(a => !a.Fallback && a.Amps == 32m) >= 2);
        Assert.True(site.Accepted.Last(a => !a.Fallback).At < firstEnd, string.Join(", ", site.Accepted));
    }

    [Fact]
    public async Task A_scheduled_lower_limit_is_applied_before_it_starts()
    {
        var site = new SiteRig(fixture, 40m);
        await site.StartStations(2);
        await site.AcceptUntil(v => v.Evses.Count == 2 && v.Evses.All(e => e.InForceAmps == 20m));

        var from = DateTimeOffset.UtcNow.AddSeconds(40);
        site.Limit = 24m;
        await site.Grain.SetExternalLimit(null, 0, [new LimitPeriod(from, 24m)]);
        var lowered = await site.AcceptUntil(v => v.Evses.All(e => e.InForceAmps == 12m));
        Assert.True(DateTimeOffset.UtcNow < from, "the EVSEs came down only after the scheduled limit started");
        Assert.Equal(24m, lowered.EffectiveLimitAmps);
        Assert.Single(lowered.Schedule!);
    }

    [Fact]
    public async Task Single_phase_EVSEs_on_different_phases_each_get_the_full_phase_current()
    {
        var site = new SiteRig(fixture, 32m);
        await site.Grain.Configure(new SiteSettings(32m, "EqualShare", []));
        var phases = new[] { "L1", "L2", "L3" };
        for (var i = 0; i < 3; i++)
        {
            var station = await site.AddStation();
            await site.Grain.SetEvse(station.StationId, 1, new SiteEvseSettings(Phases: 1, Phase: phases[i]));
            site.PhaseOf[$"{station.StationId}/1"] = phases[i];
            await station.CallOk("StartTransaction", V16LifecycleTests.StartTransaction(1, Tokens.Good, 0, i));
        }
        var view = await site.AcceptUntil(v => v.Evses.Count == 3 && v.Evses.All(e => e.InForceAmps == 32m));
        Assert.All(view.Nodes!, n => Assert.True(n.L1Amps <= 32m && n.L2Amps <= 32m && n.L3Amps <= 32m));
        // the profiles say one phase
        Assert.All(site.Profiles(site.Stations[0]), p => Assert.Equal(1, p.NumberPhases));
    }

    private sealed record Profile(int Id, int StackLevel, decimal Amps, DateTimeOffset? ValidTo, int? NumberPhases);

    private sealed class SiteRig(AcceptAllCluster fixture, decimal capacity)
    {
        private readonly Dictionary<string, Dictionary<int, Profile>> _profiles = [];
        private readonly Dictionary<string, decimal> _mayDraw = [];
        private readonly HashSet<string> _answered = [];
        private readonly HashSet<string> _refusing = [];

        public string SiteId { get; } = $"site-{Guid.NewGuid():N}"[..16];

        public ISiteGrain Grain => fixture.Client.GetGrain<ISiteGrain>(SiteId);

        public decimal Limit { get; set; } = capacity;

        public int LeaseSeconds { get; init; } = SiteSettings.DefaultLeaseSeconds;

        public List<StationDriver> Stations { get; } = [];

        public List<(string Evse, decimal Amps, bool Fallback, DateTimeOffset At)> Accepted { get; } = [];

        /// <summary>The grid phase of a single-phase EVSE ("station/1"); others draw on all three.</summary>
        public Dictionary<string, string> PhaseOf { get; } = [];

        public void Refuse(StationDriver station) => _refusing.Add(station.StationId);

        public IReadOnlyList<Profile> Profiles(StationDriver station) =>
            _profiles.Where(p => p.Key.StartsWith(station.StationId + "/", StringComparison.Ordinal)).SelectMany(p => p.Value.Values).ToArray();

        public async Task<StationDriver> AddStation()
        {
            var station = await StationDriver.Connect(fixture.Client, OcppVersion.V16);
            await station.Grain.SetProfile(new StationProfile(Site: SiteId));
            await station.BootAccepted();
            Stations.Add(station);
            return station;
        }

        public async Task<int[]> StartStations(int count, int? charging = null)
        {
            await Grain.Configure(new SiteSettings(Limit, "EqualShare", [], LeaseSeconds: LeaseSeconds));
            var transactions = new List<int>();
            for (var i = 0; i < count; i++)
            {
                var station = await AddStation();
                if (i < (charging ?? count))
                {
                    var started = await station.CallOk("StartTransaction", V16LifecycleTests.StartTransaction(1, Tokens.Good, 0, i));
                    transactions.Add(started.GetProperty("transactionId").GetInt32());
                }
                else
                {
                    await station.CallOk("StatusNotification", """{"connectorId":1,"errorCode":"NoError","status":"Available"}""");
                }
                await Pump();
            }
            return [.. transactions];
        }

        /// <summary>Plays the stations until the allocation satisfies <paramref name="done"/>, checking the site's limit after every change.</summary>
        public async Task<SiteAllocationView> AcceptUntil(Func<SiteAllocationView, bool> done, TimeSpan? within = null)
        {
            var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
            while (true)
            {
                await Pump();
                var view = await Grain.GetAllocation();
                if (done(view))
                {
                    return view;
                }
                Assert.True(DateTime.UtcNow < deadline, $"the allocation did not settle: {JsonSerializer.Serialize(view)}");
                await Task.Delay(50);
            }
        }

        /// <summary>Answers what the stations were sent so far (as stations do, all the time, not only while a test waits).</summary>
        public async Task Pump()
        {
            foreach (var station in Stations)
            {
                foreach (var frame in station.Link.Sent.Where(f => _answered.Add(f.Frame)))
                {
                    await Answer(station, frame);
                }
            }
            Check("a lease ran out");
        }

        private async Task Answer(StationDriver station, SentFrame frame)
        {
            var call = StationDriver.Parse(frame.Frame);
            var action = call[2].GetString();
            var payload = call[3];
            if (_refusing.Contains(station.StationId) || action is not ("SetChargingProfile" or "ClearChargingProfile"))
            {
                await station.Grain.HandleCallResult(frame.Epoch, call[1].GetString()!, """{"status":"Rejected"}""");
                return;
            }
            if (action == "ClearChargingProfile")
            {
                var id = payload.GetProperty("id").GetInt32();
                foreach (var profiles in _profiles.Values)
                {
                    profiles.Remove(id);
                }
                await station.Grain.HandleCallResult(frame.Epoch, call[1].GetString()!, """{"status":"Accepted"}""");
                return;
            }
            var evse = $"{station.StationId}/{payload.GetProperty("connectorId").GetInt32()}";
            var body = payload.GetProperty("csChargingProfiles");
            var period = body.GetProperty("chargingSchedule").GetProperty("chargingSchedulePeriod")[0];
            var profile = new Profile(
                body.GetProperty("chargingProfileId").GetInt32(),
                body.GetProperty("stackLevel").GetInt32(),
                period.GetProperty("limit").GetDecimal(),
                body.TryGetProperty("validTo", out var to) ? DateTimeOffset.Parse(to.GetString()!, CultureInfo.InvariantCulture) : null,
                period.TryGetProperty("numberPhases", out var n) ? n.GetInt32() : null);
            await station.Grain.HandleCallResult(frame.Epoch, call[1].GetString()!, """{"status":"Accepted"}""");
            if (profile.ValidTo is { } end)
            {
                // leases end on the half-lease grid, so stations cut off from the site fall back together
                Assert.Equal(0, end.UtcTicks % TimeSpan.FromSeconds(LeaseSeconds / 2.0).Ticks);
                Assert.True(end - DateTimeOffset.UtcNow <= TimeSpan.FromSeconds(LeaseSeconds), $"a lease of {LeaseSeconds} s ends at {end:O}");
            }
            if (!_profiles.TryGetValue(evse, out var installed))
            {
                _profiles[evse] = installed = [];
            }
            installed[profile.Id] = profile;
            Accepted.Add((evse, profile.Amps, profile.StackLevel == SiteChargingProfiles.FallbackStackLevel, DateTimeOffset.UtcNow));
            Check($"{evse} accepted {profile.Amps} A at stack level {profile.StackLevel}");
        }

        /// <summary>
        /// What each EVSE may draw now, as a station works it out (every station's EVSE 1, and any EVSE with a profile;
        /// without one, its 32 A maximum); if any went up, what is drawn on each phase must be within the limit.
        /// </summary>
        private void Check(string what)
        {
            var now = DateTimeOffset.UtcNow;
            var raised = false;
            var evses = Stations.Select(s => $"{s.StationId}/1").Union(_profiles.Keys).ToArray();
            foreach (var evse in evses)
            {
                var winner = _profiles.GetValueOrDefault(evse)?.Values.Where(p => p.ValidTo is null || p.ValidTo > now)
                    .OrderByDescending(p => p.StackLevel).FirstOrDefault();
                var amps = winner?.Amps ?? 32m;
                raised |= amps > _mayDraw.GetValueOrDefault(evse, 32m);
                _mayDraw[evse] = amps;
            }
            foreach (var phase in new[] { "L1", "L2", "L3" })
            {
                var sum = evses.Where(e => PhaseOf.GetValueOrDefault(e, phase) == phase).Sum(e => _mayDraw[e]);
                Assert.True(!raised || sum <= Limit,
                    $"{sum.ToString(CultureInfo.InvariantCulture)} A may be drawn on {phase}, over the site's {Limit} A, after {what}; " +
                    $"may draw: {string.Join(", ", _mayDraw.Select(m => $"{m.Key} {m.Value}"))}; accepted: {string.Join(", ", Accepted)}");
            }
        }
    }
}
