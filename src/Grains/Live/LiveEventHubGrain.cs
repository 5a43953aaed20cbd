using Csms.Grains.Interfaces.Live;
using Microsoft.Extensions.Logging;

namespace Csms.Grains.Live;

/// <summary>
/// Fans live events out to the subscribed gateways, in small batches (one observer call per gateway per 50 ms at
/// most, rather than one per event). Nothing is persisted: a gateway that subscribes sees events from then on.
/// </summary>
public sealed class LiveEventHubGrain(TimeProvider clock, ILogger<LiveEventHubGrain> logger) : Grain, ILiveEventHubGrain
{
    /// <summary>A subscription not renewed within this is dropped (gateways renew every 30 s).</summary>
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromSeconds(90);

    private const int MaxBuffered = 5000;
    private static readonly TimeSpan BatchDelay = TimeSpan.FromMilliseconds(50);

    private readonly Dictionary<ILiveEventObserver, DateTimeOffset> _subscribers = [];
    private readonly List<StationLiveEvent> _buffer = [];
    private IGrainTimer? _flushTimer;
    private long _dropped;

    public Task<int> Subscribe(ILiveEventObserver observer)
    {
        _subscribers[observer] = clock.GetUtcNow() + SubscriptionLifetime;
        return Task.FromResult(_subscribers.Count);
    }

    public Task Unsubscribe(ILiveEventObserver observer)
    {
        _subscribers.Remove(observer);
        return Task.CompletedTask;
    }

    public Task<int> SubscriberCount() => Task.FromResult(_subscribers.Count);

    public Task Publish(IReadOnlyList<StationLiveEvent> events)
    {
        if (_subscribers.Count == 0)
        {
            return Task.CompletedTask;
        }
        var room = MaxBuffered - _buffer.Count;
        if (events.Count > room)
        {
            // the observers cannot keep up; a live view may miss events, the history does not
            _dropped += events.Count - Math.Max(0, room);
        }
        _buffer.AddRange(events.Take(Math.Max(0, room)));
        _flushTimer ??= this.RegisterGrainTimer(Flush, new GrainTimerCreationOptions { DueTime = BatchDelay, Period = Timeout.InfiniteTimeSpan });
        return Task.CompletedTask;
    }

    private Task Flush(CancellationToken cancellationToken)
    {
        _flushTimer?.Dispose();
        _flushTimer = null;
        var now = clock.GetUtcNow();
        foreach (var expired in _subscribers.Where(s => s.Value < now).Select(s => s.Key).ToArray())
        {
            _subscribers.Remove(expired);
        }
        if (_dropped > 0)
        {
            logger.LogWarning("Live events: {Dropped} event(s) dropped because the subscribed gateways did not keep up", _dropped);
            _dropped = 0;
        }
        var batch = _buffer.ToArray();
        _buffer.Clear();
        foreach (var observer in _subscribers.Keys)
        {
            try
            {
                observer.OnEvents(batch);
            }
            catch (Exception ex)
            {
                logger.LogDebug(ex, "Live events: a subscriber could not be reached");
            }
        }
        return Task.CompletedTask;
    }
}
