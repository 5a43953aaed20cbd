using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Csms.LoadTest;

/// <summary>
/// Times site load balancing end to end: every virtual station joins one site (through the operator API of the
/// gateway at the same host as the OCPP URL), all but <see cref="LoadOptions.SiteRounds"/> of them charge, and once the
/// site has settled the rest are started one at a time by a remote start. For each start it reports the time from the
/// session's start at the station to the moment the last station accepted its new limit, and how many profiles that took.
/// </summary>
public sealed class SiteProbe(LoadOptions options, TextWriter output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(120);

    public LoadStats Stats { get; } = new();

    public sealed record Round(int Sessions, int Evses, double Milliseconds, int ProfilesAccepted);

    public async Task<IReadOnlyList<Round>> RunAsync(CancellationToken cancellationToken)
    {
        var http = new UriBuilder(options.Url) { Scheme = options.Url.Scheme == "wss" ? "https" : "http", Path = "/api/v1/" }.Uri;
        using var api = new HttpClient { BaseAddress = http, Timeout = TimeSpan.FromSeconds(30) };
        api.DefaultRequestHeaders.Add("X-Api-Key", options.ApiKey);
        var siteId = $"{options.IdPrefix}-site";
        await Put(api, $"sites/{siteId}", new { capacityAmps = options.SiteAmps, strategy = "EqualShare" }, cancellationToken);

        // sessions that last the whole probe; the last SiteRounds stations wait for their remote start
        var stationOptions = options with { TransactionSeconds = 24 * 3600 };
        var charging = options.Stations - options.SiteRounds;
        var stations = new List<VirtualStation>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = new List<Task>();
        for (var i = 0; i < options.Stations; i++)
        {
            var id = $"{options.IdPrefix}-{i + 1:D5}";
            await Put(api, $"stations/{id}/registration", new { site = siteId }, cancellationToken);
            var station = new VirtualStation(id, options.VersionFor(i), stationOptions, Stats, charges: i < charging);
            stations.Add(station);
            running.Add(Task.Run(() => station.RunAsync(stop.Token), CancellationToken.None));
        }
        var rounds = new List<Round>();
        try
        {
            await output.WriteLineAsync($"site {siteId}: {options.SiteAmps} A, {options.Stations} EVSEs, waiting for {charging} sessions to settle");
            await Settled(api, siteId, charging, null, cancellationToken);
            for (var r = 0; r < options.SiteRounds; r++)
            {
                var station = stations[charging + r];
                var accepted = stations.Sum(s => s.ProfilesAccepted);
                using var started = await api.PostAsJsonAsync($"stations/{station.Id}/remote-start?wait=10", new { idToken = "LOADTEST", evseId = 1 },
                    cancellationToken);
                started.EnsureSuccessStatusCode();
                await Settled(api, siteId, charging + r + 1, station.Id, cancellationToken);
                var from = station.SessionStartedAt ?? throw new InvalidOperationException($"{station.Id} did not start a session");
                var last = stations.Max(s => s.LastProfileAcceptedAt) ?? from;
                var round = new Round(charging + r + 1, options.Stations, (last - from).TotalMilliseconds, stations.Sum(s => s.ProfilesAccepted) - accepted);
                rounds.Add(round);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"session {round.Sessions} of {round.Evses} EVSEs: {round.Milliseconds:F0} ms until every station accepted its limit ({round.ProfilesAccepted} profiles)"));
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(running);
        }
        return rounds;
    }

    /// <summary>Waits until <paramref name="sessions"/> EVSEs charge and every EVSE's limit in force is the one the site wants.</summary>
    private async Task Settled(HttpClient api, string siteId, int sessions, string? newcomer, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var view = await api.GetFromJsonAsync<SiteView>($"sites/{siteId}/allocation", Json, cancellationToken)
                ?? throw new InvalidOperationException("the site API answered nothing");
            var done = view.Evses.Count == options.Stations
                && view.Evses.Count(e => e.Charging) == sessions
                && view.Evses.All(e => e.InForceAmps == e.AllowedAmps)
                && (newcomer is null || view.Evses.Any(e => e.StationId == newcomer.ToLowerInvariant() && e.Charging && (e.AllowedAmps > 0 || e.Paused)));
            if (done)
            {
                return;
            }
            if (clock.Elapsed > SettleLimit)
            {
                throw new TimeoutException($"the site did not settle with {sessions} sessions within {SettleLimit.TotalSeconds} s: {JsonSerializer.Serialize(view)}");
            }
            await Task.Delay(20, cancellationToken);
        }
    }

    private static async Task Put(HttpClient api, string path, object body, CancellationToken cancellationToken)
    {
        using var response = await api.PutAsJsonAsync(path, body, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    private sealed record SiteView(IReadOnlyList<EvseView> Evses);

    private sealed record EvseView(string StationId, bool Charging, decimal AllowedAmps, decimal? InForceAmps, bool Paused);
}
