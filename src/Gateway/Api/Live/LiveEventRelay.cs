using System.Threading.Channels;
using Csms.Grains.Interfaces.Live;

namespace Csms.Gateway.Api.Live;

/// <summary>
/// This gateway's one live-event observer (held here, strongly: Orleans holds observers weakly). It subscribes to
/// every hub shard while anyone listens, renews the subscriptions, and fans events out to the SSE clients' channels.
/// </summary>
public sealed class LiveEventRelay(IGrainFactory grains, ILogger<LiveEventRelay> logger) : BackgroundService, ILiveEventObserver
{
    private static readonly TimeSpan Renew = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly List<Listener> _listeners = [];
    private ILiveEventObserver? _reference;

    /// <summary>A client's view: its filter and a bounded channel (a slow client misses events rather than grow memory).</summary>
    public sealed class Listener(Func<StationLiveEvent, bool> filter, int capacity)
    {
        public Channel<StationLiveEvent> Channel { get; } = System.Threading.Channels.Channel.CreateBounded<StationLiveEvent>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public Func<StationLiveEvent, bool> Filter { get; } = filter;

        private long _dropped;

        /// <summary>Events this client missed because it read too slowly.</summary>
        public long Dropped => Interlocked.Read(ref _dropped);

        public void Offer(StationLiveEvent e)
        {
            if (Filter(e) && !Channel.Writer.TryWrite(e))
            {
                Interlocked.Increment(ref _dropped);
            }
        }
    }

    public async Task<Listener> ListenAsync(Func<StationLiveEvent, bool> filter, int capacity = 1000)
    {
        var listener = new Listener(filter, capacity);
        bool first;
        lock (_gate)
        {
            _listeners.Add(listener);
            first = _listeners.Count == 1;
        }
        if (first)
        {
            // subscribe now rather than at the next renewal, so the new client sees events from this moment
            await SubscribeAll();
        }
        return listener;
    }

    public void Stop(Listener listener)
    {
        lock (_gate)
        {
            _listeners.Remove(listener);
        }
        listener.Channel.Writer.TryComplete();
    }

    public Task OnEvents(IReadOnlyList<StationLiveEvent> events)
    {
        Listener[] listeners;
        lock (_gate)
        {
            listeners = [.. _listeners];
        }
        foreach (var listener in listeners)
        {
            foreach (var e in events)
            {
                listener.Offer(e);
            }
        }
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Renew);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            bool anyone;
            lock (_gate)
            {
                anyone = _listeners.Count > 0;
            }
            if (anyone)
            {
                await SubscribeAll();
            }
        }
    }

    private async Task SubscribeAll()
    {
        ILiveEventObserver reference;
        lock (_gate)
        {
            // one reference for the life of the gateway: a second one would be a second subscriber, getting every event twice
            reference = _reference ??= grains.CreateObjectReference<ILiveEventObserver>(this);
        }
        try
        {
            await Task.WhenAll(Enumerable.Range(0, ILiveEventHubGrain.Shards)
                .Select(shard => grains.GetGrain<ILiveEventHubGrain>(shard).Subscribe(reference)));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Live events: subscribing to the hubs failed ({Error}); retrying in {Seconds} s", ex.Message, Renew.TotalSeconds);
        }
    }
}
