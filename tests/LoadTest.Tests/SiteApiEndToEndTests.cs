using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Csms.LoadTest.Tests;

/// <summary>
/// Issue 6 as an operator sees it, through the operator API and the live event stream, with virtual stations (1.6,
/// 2.0.1 and 2.1) that draw what the profiles they were sent allow. A sampler reads what every station draws every
/// 20 ms, offline ones included, and checks the site's limit at every sample.
/// </summary>
public sealed class SiteApiEndToEndTests(StandaloneGateway gateway) : StationTestBase, IClassFixture<StandaloneGateway>
{
    private const double WattsPerAmp = 3 * 230;

    [Fact]
    public async Task Ten_sessions_share_63_A_come_down_before_anyone_goes_up_and_an_offline_stations_share_is_redistributed_after_its_lease()
    {
        var siteId = $"site-{Guid.NewGuid():N}"[..14];
        // a short lease so the test sees an offline station's share come back; fallback 0 A: a station that lost the
        // site stops charging when its lease ends (the operator's choice; the default is an equal share of the capacity)
        await Put($"sites/{siteId}", new { capacityAmps = 63, strategy = "EqualShare", leaseSeconds = 10, fallbackAmps = 0 });
        var events = Listen($"events/stream?site={siteId}");

        var options = new LoadOptions { Url = gateway.Url, Version = "mixed", MeterIntervalSeconds = 1, TransactionSeconds = 3600, HeartbeatSeconds = 300 };
        var stations = new List<VirtualStation>();
        for (var i = 0; i < 10; i++)
        {
            var id = $"se-{Guid.NewGuid():N}"[..14];
            await Put($"stations/{id}/registration", new { site = siteId });
            var station = new VirtualStation(id, options.VersionFor(i), options, new LoadStats(), charges: true);
            stations.Add(station);
            Run(station);
        }
        var limitAmps = 63.0;
        var samples = Sample(stations, () => limitAmps);

        // converge: 6.3 A each, all ten accepted
        await StandaloneGateway.Until(async () => (await Allocation(siteId)).Evses.Count(e => e.InForceAmps == 6.3m && e.Charging) == 10,
            "ten EVSEs to have 6.3 A in force");
        await StandaloneGateway.Until(() => stations.TrueForAll(s => Near(s.PowerWatts, 6.3)), "every station to draw 6.3 A");

        // lower the site's limit: four sessions pause, six share 40 A; nobody rises before every lowering is in
        var before = stations.Select(s => s.PowerWatts).ToArray();
        var dropAt = DateTimeOffset.UtcNow;
        limitAmps = 40;
        await Put($"sites/{siteId}/limit", new { limitAmps = 40 });
        await StandaloneGateway.Until(() => stations.Count(s => s.PowerWatts == 0) == 4 && Math.Abs(stations.Sum(s => s.PowerWatts) - 40 * WattsPerAmp) < 1,
            "four paused and six sharing 40 A");
        await samples.CatchUp();
        var changes = samples.Changes(dropAt);
        var lastDecrease = changes.Where(c => c.After < c.Before).Max(c => c.At);
        var firstIncrease = changes.Where(c => c.After > c.Before).Min(c => c.At);
        Assert.True(lastDecrease <= firstIncrease, $"an EVSE rose at {firstIncrease:O} before the last lowering at {lastDecrease:O}");
        Assert.Equal(4, before.Zip(stations, (b, s) => s.PowerWatts < b).Count(x => x));

        // settled: nothing changes while the sessions and the limit stay as they are (renewals keep the same limits)
        var settledAt = DateTimeOffset.UtcNow;
        var looked = samples.Samples;
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.True(samples.Samples > looked + 10, $"the sampler stopped looking ({samples.Running.Status}: {samples.Running.Exception?.GetBaseException().Message})");
        Assert.Empty(samples.Changes(settledAt).Select(c => $"{c.At:HH:mm:ss.fff} #{c.Station} {c.Before / WattsPerAmp:F1} -> {c.After / WattsPerAmp:F1} A"));

        // a charging station drops off the network: it keeps drawing its share until its lease ends (then its 0 A
        // fallback); only then does a paused session get that share
        var view = await Allocation(siteId);
        var charging = stations.First(s => s.PowerWatts > 0);
        var leaseEnd = view.Evses.Single(e => e.StationId == charging.Id.ToLowerInvariant()).LeaseUntil!.Value;
        var offlineAt = DateTimeOffset.UtcNow;
        charging.GoOffline(TimeSpan.FromMinutes(5));
        await StandaloneGateway.Until(() => charging.PowerWatts == 0 && stations.Count(s => s.PowerWatts > 0) == 6,
            "the offline station's share to go to a paused session");
        await samples.CatchUp();
        var since = samples.Changes(offlineAt);
        var offlineIndex = stations.IndexOf(charging);
        string Log() => $"sampler: {samples.Samples} samples, {samples.Running.Status}; changes since {offlineAt:HH:mm:ss.fff}: " +
            string.Join("; ", since.Select(c => $"{c.At:HH:mm:ss.fff} #{c.Station}{(c.Station == offlineIndex ? " (offline)" : "")} {c.Before / WattsPerAmp:F1} -> {c.After / WattsPerAmp:F1} A"));
        var resumed = since.Where(c => c.Station != offlineIndex && c.After > c.Before).Select(c => (DateTimeOffset?)c.At).Min();
        Assert.True(resumed is not null, "no session rose after the station went offline; " + Log());
        Assert.True(resumed >= leaseEnd, $"a paused session resumed at {resumed:O}, before the offline station's lease ended at {leaseEnd:O} " +
            $"(offline at {offlineAt:O}): {Log()}");

        var after = await Allocation(siteId);
        var offline = after.Evses.Single(e => e.StationId == charging.Id.ToLowerInvariant());
        Assert.False(offline.Online);
        Assert.Equal(0m, offline.MayDrawAmps);
        Assert.All(after.Nodes!, n => Assert.True(n.L1Amps <= 40m, $"{n.Id} carries {n.L1Amps} A"));

        // the sampler never saw the site over its limit, and the stream showed the site at work
        await samples.StopAsync();
        Assert.Empty(samples.Violations);
        Assert.Contains(events.Kinds, k => k == "SiteAllocation");
        Assert.Contains(events.Kinds, k => k == "SiteLimit");
    }

    private static bool Near(double watts, double amps) => Math.Abs(watts - amps * WattsPerAmp) < 1;

    private async Task Put(string path, object body)
    {
        using var response = await gateway.Api.PutAsJsonAsync(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<SiteView> Allocation(string siteId) =>
        (await gateway.Api.GetFromJsonAsync<SiteView>($"sites/{siteId}/allocation", Json))!;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record SiteView(decimal EffectiveLimitAmps, IReadOnlyList<EvseView> Evses, IReadOnlyList<NodeView>? Nodes);

    private sealed record EvseView(string StationId, bool Charging, decimal? InForceAmps, bool Online, DateTimeOffset? LeaseUntil, decimal MayDrawAmps);

    private sealed record NodeView(string Id, decimal L1Amps);

    private EventLog Listen(string path)
    {
        var log = new EventLog();
        Background(Task.Run(async () =>
        {
            try
            {
                using var response = await gateway.Api.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, Stopping);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Stopping));
                while (await reader.ReadLineAsync(Stopping) is { } line)
                {
                    if (line.StartsWith("event: ", StringComparison.Ordinal))
                    {
                        log.Kinds.Enqueue(line["event: ".Length..]);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // the test is over
            }
        }));
        return log;
    }

    private sealed class EventLog
    {
        public ConcurrentQueue<string> Kinds { get; } = new();
    }

    private Sampler Sample(IReadOnlyList<VirtualStation> stations, Func<double> limitAmps)
    {
        var sampler = new Sampler(stations, limitAmps, Stopping);
        Background(sampler.Running);
        return sampler;
    }

    /// <summary>What every station draws, every 20 ms: the changes, and any moment the total went over the limit (after a rise).</summary>
    private sealed class Sampler
    {
        private readonly CancellationTokenSource _stop;
        private readonly List<(DateTimeOffset At, int Station, double Before, double After)> _changes = [];

        public Sampler(IReadOnlyList<VirtualStation> stations, Func<double> limitAmps, CancellationToken stop)
        {
            _stop = CancellationTokenSource.CreateLinkedTokenSource(stop);
            Running = Task.Run(async () =>
            {
                var last = stations.Select(s => s.PowerWatts).ToArray();
                while (!_stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _samples);
                    var now = DateTimeOffset.UtcNow;
                    var current = stations.Select(s => s.PowerWatts).ToArray();
                    var rose = false;
                    lock (_changes)
                    {
                        for (var i = 0; i < current.Length; i++)
                        {
                            if (Math.Abs(current[i] - last[i]) > 0.5)
                            {
                                _changes.Add((now, i, last[i], current[i]));
                                rose |= current[i] > last[i];
                            }
                        }
                    }
                    // while coming down from a higher limit the total is over the new one; nothing may rise then
                    var total = current.Sum() / WattsPerAmp;
                    if (rose && total > limitAmps() + 0.01)
                    {
                        Violations.Enqueue(string.Create(CultureInfo.InvariantCulture, $"{now:O}: {total:F1} A drawn over {limitAmps()} A after a rise"));
                    }
                    last = current;
                    try
                    {
                        await Task.Delay(20, _stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            });
        }

        public Task Running { get; }

        private int _samples;

        /// <summary>How many times it has looked (so a test can tell a quiet site from a stopped sampler).</summary>
        public int Samples => Volatile.Read(ref _samples);

        public ConcurrentQueue<string> Violations { get; } = new();

        public IReadOnlyList<(DateTimeOffset At, int Station, double Before, double After)> Changes(DateTimeOffset since)
        {
            lock (_changes)
            {
                return _changes.Where(c => c.At >= since).ToArray();
            }
        }

        /// <summary>Waits for a few more looks, so what the test just saw directly is in the sampler's record too.</summary>
        public Task CatchUp()
        {
            var seen = Samples;
            return StandaloneGateway.Until(() => Samples >= seen + 3, "the sampler to look again");
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Running;
        }
    }
}
