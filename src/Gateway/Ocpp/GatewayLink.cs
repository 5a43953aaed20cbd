using Csms.Grains.Interfaces.Connections;

namespace Csms.Gateway.Ocpp;

/// <summary>
/// The one grain observer of this gateway process (GPSTracker's pattern): station grains call it to reach their
/// sockets. It only enqueues and returns; each socket's own send loop does the writing.
/// </summary>
public sealed class GatewayLink(ConnectionRegistry registry, IGrainFactory grainFactory)
{
    private readonly Lazy<IGatewayLink> _reference = new(() => grainFactory.CreateObjectReference<IGatewayLink>(new Observer(registry)));

    /// <summary>The reference grains hold; created once and kept alive (held strongly) by this singleton.</summary>
    public IGatewayLink Reference => _reference.Value;

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
