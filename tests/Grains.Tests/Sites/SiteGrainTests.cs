using System.Globalization;
using System.Text.Json;
using Csms.Grains.Interfaces.Sites;
using Csms.Grains.Interfaces.Stations;
using Csms.Grains.SmartCharging;
using Csms.Grains.Tests.Cluster;
using Csms.Ocpp;

namespace Csms.Grains.Tests.Sites;

/// <summary>
/// A site grain with real station grains: stations whose link accepts every SetChargingProfile, played by the test,
/// which keeps the sum of the limits in force (as accepted) and checks it after every acceptance.
/// </summary>
[Collection(AcceptAllCollection.Name)]
public class SiteGrainTests(AcceptAllCluster fixture)
{
    [Fact]
    public async Task Ten_sessions_on_a_63_A_site_converge_to_equal_shares_and_lowering_the_limit_lowers_everyone_without_ever_exceeding_it()
    {
        var site = new SiteRig(fixture, 63m);
        await site.StartStations(10);

        await site.AcceptUntil(view => view.Evses.Count == 10 && view.Evses.All(e => e.InForceAmps == 6.3m));

        await site.Grain.SetExternalLimit(40m, 0);
        site.Limit = 40m;
        var lowered = await site.AcceptUntil(view => view.Evses.Count(e => e.Paused) == 4
            && view.Evses.All(e => e.InForceAmps == e.AllowedAmps));
        // 40 A does not hold ten minimums of 6 A: the latest sessions are paused (0 A), the others share 40 A equally
        // (6.6 A each and the last steps of 0.1 A one each)
        Assert.All(lowered.Evses.Where(e => e.Paused), e => Assert.Equal(0m, e.InForceAmps));
        Assert.All(lowered.Evses.Where(e => !e.Paused), e => Assert.InRange(e.InForceAmps!.Value, 6.6m, 6.7m));
        Assert.Equal(40m, lowered.Evses.Sum(e => e.InForceAmps));
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
        var zero = site.Accepted.FindIndex(a => a.Amps == 0m);
        Assert.True(zero >= 0 && zero < firstRaise, string.Join(", ", site.Accepted));
    }

    [Fact]
    public async Task A_station_that_goes_offline_has_its_share_redistributed()
    {
        var site = new SiteRig(fixture, 36m);
        await site.StartStations(3);
        await site.AcceptUntil(view => view.Evses.All(e => e.InForceAmps == 12m) && view.Evses.Count == 3);

        await site.Stations[2].Grain.Disconnect(site.Stations[2].Epoch, "test: power cut");
        // as the issue asks, an offline station's share goes to the others (its fallback is the default profile it got at boot)
        site.Forget(site.Stations[2]);

        var after = await site.AcceptUntil(view => view.Evses.Count(e => e.InForceAmps == 18m) == 2);
        Assert.Equal(0m, after.Evses.Single(e => e.StationId == site.Stations[2].StationId).AllowedAmps);
    }

    private sealed class SiteRig(AcceptAllCluster fixture, decimal capacity)
    {
        private readonly Dictionary<string, decimal> _inForce = [];
        private readonly HashSet<string> _answered = [];

        public string SiteId { get; } = $"site-{Guid.NewGuid():N}"[..16];

        public ISiteGrain Grain => fixture.Client.GetGrain<ISiteGrain>(SiteId);

        public decimal Limit { get; set; } = capacity;

        public List<StationDriver> Stations { get; } = [];

        public List<(string Evse, decimal Amps)> Accepted { get; } = [];

        public void Forget(StationDriver station) => _inForce.Remove($"{station.StationId}/1");

        public async Task<int[]> StartStations(int count)
        {
            await Grain.Configure(new SiteSettings(Limit, "EqualShare", []));
            var transactions = new List<int>();
            for (var i = 0; i < count; i++)
            {
                var station = await StationDriver.Connect(fixture.Client, OcppVersion.V16);
                await station.Grain.SetProfile(new StationProfile(Site: SiteId));
                await station.BootAccepted();
                var started = await station.CallOk("StartTransaction", V16LifecycleTests.StartTransaction(1, Tokens.Good, 0, i));
                transactions.Add(started.GetProperty("transactionId").GetInt32());
                Stations.Add(station);
            }
            return [.. transactions];
        }

        /// <summary>Accepts every profile the site sends, checking the sum in force after each, until the allocation satisfies <paramref name="done"/>.</summary>
        public async Task<SiteAllocationView> AcceptUntil(Func<SiteAllocationView, bool> done)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (true)
            {
                foreach (var station in Stations)
                {
                    foreach (var frame in station.Link.Sent.Where(f => _answered.Add(f.Frame)))
                    {
                        var call = StationDriver.Parse(frame.Frame);
                        var payload = call[3];
                        var evse = $"{station.StationId}/{payload.GetProperty("connectorId").GetInt32()}";
                        var amps = payload.GetProperty("csChargingProfiles").GetProperty("chargingSchedule")
                            .GetProperty("chargingSchedulePeriod")[0].GetProperty("limit").GetDecimal();
                        var raised = !_inForce.TryGetValue(evse, out var before) || amps > before;
                        await station.Grain.HandleCallResult(frame.Epoch, call[1].GetString()!, """{"status":"Accepted"}""");
                        _inForce[evse] = amps;
                        Accepted.Add((evse, amps));
                        // after a limit drops, the sum is over it until the lowerings are accepted; no EVSE may go up meanwhile
                        var sum = _inForce.Values.Sum();
                        Assert.True(!raised || sum <= Limit,
                            $"{sum.ToString(CultureInfo.InvariantCulture)} A in force over the site's {Limit} A after {evse} went up to {amps} A");
                    }
                }
                var view = await Grain.GetAllocation();
                if (done(view))
                {
                    Assert.True(_inForce.Values.Sum() <= Limit, $"settled at {_inForce.Values.Sum()} A over the site's {Limit} A");
                    return view;
                }
                Assert.True(DateTime.UtcNow < deadline, $"the allocation did not settle: {JsonSerializer.Serialize(view)}");
                await Task.Delay(50);
            }
        }
    }
}
