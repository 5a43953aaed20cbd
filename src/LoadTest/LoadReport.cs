using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Csms.LoadTest;

/// <summary>The final report, as JSON (for scripts) and markdown (for people).</summary>
public sealed record LoadReport(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("scenario")] string Scenario,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("durationSeconds")] double DurationSeconds,
    [property: JsonPropertyName("stationsTarget")] int StationsTarget,
    [property: JsonPropertyName("stationsConnected")] int StationsConnected,
    [property: JsonPropertyName("stationsBooted")] int StationsBooted,
    [property: JsonPropertyName("messages")] long Messages,
    [property: JsonPropertyName("messagesPerSecond")] double MessagesPerSecond,
    [property: JsonPropertyName("latencyMs")] Percentiles LatencyMs,
    [property: JsonPropertyName("latencyMsByAction")] IReadOnlyDictionary<string, Percentiles> LatencyMsByAction,
    [property: JsonPropertyName("errorsByCode")] IReadOnlyDictionary<string, long> ErrorsByCode,
    [property: JsonPropertyName("connectFailures")] long ConnectFailures,
    [property: JsonPropertyName("reconnects")] long Reconnects,
    [property: JsonPropertyName("transactionsCompleted")] long TransactionsCompleted,
    [property: JsonPropertyName("csmsCallsAnswered")] long CsmsCallsAnswered,
    [property: JsonPropertyName("transactionMessagesQueued")] long TransactionMessagesQueued,
    [property: JsonPropertyName("stormStations")] long StormStations,
    [property: JsonPropertyName("stormRebooted")] long StormRebooted,
    [property: JsonPropertyName("stormRecoverySeconds")] double? StormRecoverySeconds)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <param name="queued">Transaction messages the stations still hold unsent when the run ends.</param>
    public static LoadReport From(LoadOptions options, LoadStats stats, TimeSpan elapsed, long queued) => new(
        options.Url.ToString(), options.Scenario.ToString().ToLowerInvariant(), options.Version, Math.Round(elapsed.TotalSeconds, 1),
        options.Stations, Volatile.Read(ref stats.Connected), Volatile.Read(ref stats.Booted), stats.Messages,
        Math.Round(stats.Messages / Math.Max(0.001, elapsed.TotalSeconds), 1), Percentiles.Of(stats.Overall()),
        stats.Latency.OrderBy(l => l.Key, StringComparer.Ordinal).ToDictionary(l => l.Key, l => Percentiles.Of(l.Value)),
        stats.ErrorsByCode.OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary(e => e.Key, e => e.Value),
        stats.ConnectFailures, stats.Reconnects, Interlocked.Read(ref stats.TransactionsCompleted), stats.CsmsCalls, queued,
        stats.Storm.Dropped, stats.Storm.Rebooted, stats.StormRecoverySeconds is { } s ? Math.Round(s, 2) : null);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Load test: {Scenario}, OCPP {Version}, {StationsTarget} stations");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- target: `{Url}`, {DurationSeconds} s");
        md.AppendLine(CultureInfo.InvariantCulture, $"- stations connected at the end: {StationsConnected} of {StationsTarget} (booted {StationsBooted})");
        md.AppendLine(CultureInfo.InvariantCulture, $"- messages: {Messages} ({MessagesPerSecond} per second); transactions completed: {TransactionsCompleted}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- connect failures: {ConnectFailures}; reconnects: {Reconnects}; CSMS calls answered: {CsmsCallsAnswered}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- transaction messages still queued in the stations at the end: {TransactionMessagesQueued}");
        if (StormStations > 0)
        {
            var recovery = StormRecoverySeconds is { } seconds
                ? string.Create(CultureInfo.InvariantCulture, $"all of them {seconds} s after the storm")
                : "not all of them within the run";
            md.AppendLine(CultureInfo.InvariantCulture, $"- storm: {StormStations} stations lost power; {StormRebooted} booted again, {recovery}");
        }
        md.AppendLine();
        md.AppendLine("| action | count | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (action, p) in LatencyMsByAction.Append(new KeyValuePair<string, Percentiles>("all", LatencyMs)))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {action} | {p.Count} | {p.P50} | {p.P90} | {p.P99} | {p.P999} | {p.Max} |");
        }
        md.AppendLine();
        md.AppendLine(ErrorsByCode.Count == 0 ? "No errors." : "| error | count |\n|---|---:|");
        foreach (var (code, count) in ErrorsByCode)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {code} | {count} |");
        }
        return md.ToString();
    }
}

public sealed record Percentiles(
    [property: JsonPropertyName("count")] long Count,
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p90")] double P90,
    [property: JsonPropertyName("p99")] double P99,
    [property: JsonPropertyName("p999")] double P999,
    [property: JsonPropertyName("max")] double Max)
{
    public static Percentiles Of(LatencyHistogram h) => new(h.Count, Round(h.PercentileMs(50)), Round(h.PercentileMs(90)),
        Round(h.PercentileMs(99)), Round(h.PercentileMs(99.9)), Round(h.MaxMs));

    private static double Round(double value) => Math.Round(value, 2);
}
