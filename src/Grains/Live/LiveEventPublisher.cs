using System.Collections.Concurrent;
using System.Text.Json;
using Csms.Grains.Hosting;
using Csms.Grains.Interfaces.Live;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Csms.Grains.Live;

/// <summary>
/// What a station grain hands over for the live stream: the raw pieces. The event's kind and JSON are only worked out
/// if somebody is listening, so a station message costs an enqueue, not a grain call, when nobody is.
/// </summary>
public sealed record PendingLiveEvent(
    DateTimeOffset Timestamp,
    string? StationId,
    string? Site,
    string? Kind,
    string Detail,
    string? DataJson,
    string? Action = null,
    string? RequestJson = null,
    string? ResponseJson = null);

/// <summary>
/// This silo's side of the live event stream: station grains enqueue here; every 50 ms the queue leaves in one batch
/// per hub shard, if any gateway subscribed (asked of the hubs every second). While nobody listens, events older than
/// a few seconds are dropped, so a new subscriber still sees what happened while its subscription spread.
/// </summary>
public sealed class LiveEventPublisher(IGrainFactory grains, TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<LiveEventPublisher> logger)
    : BackgroundService
{
    private const int MaxQueued = 20_000;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan AskEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Keep = TimeSpan.FromSeconds(3);

    private readonly ConcurrentQueue<PendingLiveEvent> _queue = new();
    private int _queued;
    private long _dropped;
    private volatile bool _listening;

    public void Publish(PendingLiveEvent e)
    {
        if (Interlocked.Increment(ref _queued) > MaxQueued)
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Increment(ref _dropped);
            return;
        }
        _queue.Enqueue(e);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // the hubs are grains: ask them once the silo is up (events queued meanwhile are kept for a few seconds)
        await lifetime.WhenStarted(stoppingToken);
        var askedAt = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(Tick, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = clock.GetUtcNow();
            if (now - askedAt >= AskEvery)
            {
                askedAt = now;
                _listening = await AnyoneListening();
            }
            if (_listening)
            {
                Send();
            }
            else
            {
                while (_queue.TryPeek(out var oldest) && oldest.Timestamp < now - Keep && _queue.TryDequeue(out _))
                {
                    Interlocked.Decrement(ref _queued);
                }
            }
            if (Interlocked.Exchange(ref _dropped, 0) is > 0 and var dropped)
            {
                logger.LogWarning("Live events: {Dropped} event(s) dropped, more queued than the hubs took", dropped);
            }
        }
    }

    private async Task<bool> AnyoneListening()
    {
        try
        {
            var counts = await Task.WhenAll(Enumerable.Range(0, ILiveEventHubGrain.Shards)
                .Select(shard => grains.GetGrain<ILiveEventHubGrain>(shard).SubscriberCount()));
            return counts.Any(c => c > 0);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogDebug(ex, "Live events: asking the hubs for subscribers failed");
            return _listening;
        }
    }

    private void Send()
    {
        var batches = new Dictionary<int, List<StationLiveEvent>>();
        while (_queue.TryDequeue(out var e))
        {
            Interlocked.Decrement(ref _queued);
            var shard = ILiveEventHubGrain.ShardOf(e.StationId ?? e.Site ?? "");
            if (!batches.TryGetValue(shard, out var batch))
            {
                batches[shard] = batch = [];
            }
            batch.Add(Complete(e));
        }
        foreach (var (shard, batch) in batches)
        {
            grains.GetGrain<ILiveEventHubGrain>(shard).Publish(batch).Ignore();
        }
    }

    /// <summary>The event's kind and data, from the station's message and our answer where it has them.</summary>
    private static StationLiveEvent Complete(PendingLiveEvent e)
    {
        if (e.Action is null || e.RequestJson is null)
        {
            return new StationLiveEvent(e.Timestamp, e.StationId, e.Site, e.Kind ?? "Unknown", e.Detail, e.DataJson);
        }
        var data = $"{{\"action\":{JsonSerializer.Serialize(e.Action)},\"request\":{e.RequestJson},\"response\":{e.ResponseJson ?? "null"}}}";
        return new StationLiveEvent(e.Timestamp, e.StationId, e.Site, e.Kind ?? KindOf(e.Action, e.RequestJson), e.Detail, data);
    }

    /// <summary>The live event kind of a station's message.</summary>
    public static string KindOf(string action, string requestJson) => action switch
    {
        "BootNotification" => "Booted",
        "StatusNotification" => "StatusChanged",
        "StartTransaction" => "TransactionStarted",
        "StopTransaction" => "TransactionEnded",
        "TransactionEvent" => TransactionEventKind(requestJson),
        _ => action,
    };

    private static string TransactionEventKind(string requestJson)
    {
        using var document = JsonDocument.Parse(requestJson);
        return document.RootElement.TryGetProperty("eventType", out var type) && type.ValueKind == JsonValueKind.String
            ? "Transaction" + type.GetString()
            : "TransactionUpdated";
    }
}
