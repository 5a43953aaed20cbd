using Csms.Grains.Interfaces.Sites;
using Csms.Grains.Interfaces.Stations;

namespace Csms.LoadTest.Tests;

/// <summary>
/// Issue 6 end to end: virtual stations registered with a site charge, and the power they actually draw (they obey the
/// profiles the site pushes) shares the site's limit; lowering the limit brings them down, never above it.
/// </summary>
public sealed class SiteLoadBalancingTests(StandaloneGateway gateway) : StationTestBase, IClassFixture<StandaloneGateway>
{
    private const double WattsPerAmp = 3 * 230;

    [Fact]
    public async Task Four_mixed_version_stations_share_a_40_A_site_and_come_down_when_the_limit_drops()
    {
        var siteId = $"site-{Guid.NewGuid():N}"[..14];
        var site = gateway.Grains.GetGrain<ISiteGrain>(siteId);
        await site.Configure(new SiteSettings(40m, "EqualShare", []));
        var options = new LoadOptions
        {
            Url = gateway.Url, Version = "mixed", MeterIntervalSeconds = 1, TransactionSeconds = 3600, HeartbeatSeconds = 300,
        };
        var stations = new List<VirtualStation>();
        for (var i = 0; i < 4; i++)
        {
            var id = $"sb-{Guid.NewGuid():N}"[..14];
            await gateway.Station(id).SetProfile(new StationProfile(Site: siteId));
            var station = new VirtualStation(id, options.VersionFor(i), options, new LoadStats(), charges: true);
            stations.Add(station);
            Run(station);
        }

        // 10 A each on three phases: 6,900 W, below the stations' own 11,040 W
        await StandaloneGateway.Until(() => stations.TrueForAll(s => Math.Abs(s.PowerWatts - 10 * WattsPerAmp) < 1), "every station to draw 10 A");

        await site.SetExternalLimit(20m, 0);
        var peak = 0.0;
        await StandaloneGateway.Until(() =>
        {
            var total = stations.Sum(s => s.PowerWatts);
            peak = Math.Max(peak, total);
            // 20 A holds three minimums of 6 A: one session paused, three share 20 A
            return stations.Count(s => s.PowerWatts == 0) == 1 && Math.Abs(total - 20 * WattsPerAmp) < 1;
        }, "the stations to share 20 A");
        // never more than before the drop while coming down: each EVSE only went down
        Assert.True(peak <= 40 * WattsPerAmp + 1, $"peak {peak} W while lowering");

        // and the site's own view catches up with what the stations accepted
        SiteAllocationView? view = null;
        await StandaloneGateway.Until(async () => (view = await site.GetAllocation()).Evses.Sum(e => e.InForceAmps ?? 0) == 20m, "the site to see 20 A in force");
        Assert.Equal(4, view!.Evses.Count);
        Assert.Single(view.Evses, e => e.Paused);
    }
}
