using System.Collections.Concurrent;

namespace Csms.Gateway.Ocpp;

/// <summary>The live station sockets of this gateway process, one per station identity.</summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, StationSocket> _sockets = new();

    public int Count => _sockets.Count;

    public IEnumerable<StationSocket> All => _sockets.Values;

    /// <summary>Makes <paramref name="socket"/> the station's socket here; returns the one it replaces, if any.</summary>
    public StationSocket? Register(StationSocket socket)
    {
        StationSocket? previous = null;
        _sockets.AddOrUpdate(socket.StationId, socket, (_, existing) =>
        {
            previous = existing;
            return socket;
        });
        return previous;
    }

    public void Unregister(StationSocket socket) => _sockets.TryRemove(new KeyValuePair<string, StationSocket>(socket.StationId, socket));

    /// <summary>The station's socket here if it holds exactly <paramref name="epoch"/>: commands never go to a stale socket.</summary>
    public StationSocket? Find(string stationId, long epoch) =>
        _sockets.TryGetValue(stationId, out var socket) && socket.Epoch == epoch ? socket : null;
}
