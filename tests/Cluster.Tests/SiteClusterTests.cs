using System.Net.Http.Json;
using System.Text.Json;
using Csms.LoadTest;

namespace Csms.Cluster.Tests;

/// <summary>
/// A site across the cluster: its stations on two gateways (their grains wherever Orleans puts them), and the silo
/// that hosts the site grain killed while they charge. The site's state is in PostgreSQL: it comes back on the other
/// silo, keeps renewing the stations' leases and rebalances a new session, and the stations never draw over the limit.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SiteClusterTests(PostgresFixture postgres)
{
    private const double WattsPerAmp = 3 * 230;

    [Fact]
    public async Task A_site_keeps_sharing_its_power_after_the_silo_hosting_it_is_killed()
    {
        await using var cluster = new LocalCluster(await postgres.Server.CreateDatabaseAsync());
        await cluster.StartSiloAsync("silo-1");
        await cluster.StartSiloAsync("silo-2");
        var gateways = new[] { await cluster.StartGatewayAsync("gateway-1"), await cluster.StartGatewayAsync("gateway-2") };
        using var api = gateways[1].ApiClient();
        var siteId = $"site-{Guid.NewGuid():N}"[..14];
        await Put(api, $"/api/v1/sites/{siteId}", new { capacityAmps = 30, leaseSeconds = 20 });

        using var stop = new CancellationTokenSource();
        var running = new List<Task>();
        var stations = new List<VirtualStation>();
        VirtualStation Start(int i, bool charges)
        {
            var gateway = gateways[i % 2];
            var options = new LoadOptions
            {
                Url = new Uri($"ws://127.0.0.1:{gateway.Http.Port}/ocpp"), Version = "mixed", MeterIntervalSeconds = 2, TransactionSeconds = 3600,
                HeartbeatSeconds = 300,
            };
            var station = new VirtualStation($"sc-{i}-{Guid.NewGuid():N}"[..14], options.VersionFor(i), options, new LoadStats(), charges);
            stations.Add(station);
            running.Add(Task.Run(() => station.RunAsync(stop.Token)));
            return station;
        }
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var station = Start(i, charges: true);
            await Put(api, $"/api/v1/stations/{station.Id}/registration", new { site = siteId });
        }
        try
        {
            // the stations registered after they connected: the site learns of them with their first session
            var settled = await Poll.Until(() => Allocation(api, siteId), v => v.Evses.Count(e => e.Charging && e.InForceAmps == 10m) == 3,
                TimeSpan.FromSeconds(60));
            await Poll.Until(() => Task.FromResult(stations.All(s => Math.Abs(s.PowerWatts - 10 * WattsPerAmp) < 1)), ok => ok, TimeSpan.FromSeconds(30));
            var leasesBefore = settled.Evses.Max(e => e.LeaseUntil!.Value);

            await cluster.SiloHosting(settled.HostedBy!).KillAsync();

            // the site is re-activated on the surviving silo from its stored state and renews the leases
            var renewed = await Poll.Until(async () =>
            {
                try
                {
                    return await Allocation(api, siteId);
                }
                catch (HttpRequestException)
                {
                    return null; // the cluster is failing over
                }
            }, v => v is not null && v.HostedBy != settled.HostedBy && v.Evses.All(e => e.LeaseUntil > leasesBefore), TimeSpan.FromSeconds(90));
            Assert.All(renewed!.Evses, e => Assert.Equal(10m, e.InForceAmps));

            // and a new session is shared in: 7.5 A each
            var fourth = Start(3, charges: false);
            await Put(api, $"/api/v1/stations/{fourth.Id}/registration", new { site = siteId });
            await Poll.Until(async () => (await api.PostAsJsonAsync($"/api/v1/stations/{fourth.Id}/remote-start?wait=10",
                new { idToken = "LOADTEST", evseId = 1 })).IsSuccessStatusCode, ok => ok, TimeSpan.FromSeconds(30));
            await Poll.Until(() => Task.FromResult(stations.All(s => Math.Abs(s.PowerWatts - 7.5 * WattsPerAmp) < 1)), ok => ok, TimeSpan.FromSeconds(60));
            Assert.True(stations.Sum(s => s.PowerWatts) <= 30 * WattsPerAmp + 1);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(running);
        }
    }

    private static async Task Put(HttpClient api, string path, object body)
    {
        using var response = await api.PutAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static async Task<SiteView> Allocation(HttpClient api, string siteId) =>
        (await api.GetFromJsonAsync<SiteView>($"/api/v1/sites/{siteId}/allocation", Json))!;

    private sealed record SiteView(string? HostedBy, IReadOnlyList<EvseView> Evses);

    private sealed record EvseView(string StationId, bool Charging, decimal? InForceAmps, DateTimeOffset? LeaseUntil);
}
