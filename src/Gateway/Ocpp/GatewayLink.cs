using Csms.Grains.Interfaces.Connections;

namespace Csms.Gateway.Ocpp;

/// <summary>
/// The one grain observer of this gateway process (GPSTracker's pattern): station grains call it to reach their
/// sockets. It only enqueues and returns; each socket's own send loop does the writing.
/// </summary>
public sealed class GatewayLink(ConnectionRegistry registry, IGrainFactory grainFactory)
{
    // Orleans holds observer objects only weakly: this singleton must keep the object itself, not just the reference,
    // or it is garbage collected and every frame a grain sends through the reference is silently dropped
    private readonly Observer _observer = new(registry);
    private readonly Lock _lock = new();
    private IGatewayLink? _reference;

    /// <summary>The reference grains hold; created once. The observer behind it is held strongly by this singleton.</summary>
    public IGatewayLink Reference
    {
        get
        {
            lock (_lock)
            {
                return _reference ??= grainFactory.CreateObjectReference<IGatewayLink>(_observer);
            }
        }
    }

    private sealed class Observer(ConnectionRegistry registry) : IGatewayLink
    {
        public Task Send(string stationId, long epoch, string frame)
        {
            registry.Find(stationId, epoch)?.Enqueue(frame);
            return Task.CompletedTask;
        }

        public Task Close(string stationId, long epoch, string reason)
        {
            registry.Find(stationId, epoch)?.RequestClose(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, reason);
            return Task.CompletedTask;
        }
    }
}
