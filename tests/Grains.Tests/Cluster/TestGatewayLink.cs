using System.Collections.Concurrent;
using Csms.Grains.Interfaces.Connections;

namespace Csms.Grains.Tests.Cluster;

/// <summary>Stands in for a gateway process: records what the grains send and close.</summary>
public sealed class TestGatewayLink : IGatewayLink
{
    private readonly ConcurrentQueue<SentFrame> _sent = new();
    private readonly ConcurrentQueue<ClosedSocket> _closed = new();

    public IReadOnlyList<SentFrame> Sent => _sent.ToArray();

    public IReadOnlyList<ClosedSocket> Closed => _closed.ToArray();

    public Task Send(string stationId, long epoch, string frame)
    {
        _sent.Enqueue(new SentFrame(stationId, epoch, frame));
        return Task.CompletedTask;
    }

    public Task Close(string stationId, long epoch, string reason)
    {
        _closed.Enqueue(new ClosedSocket(stationId, epoch, reason));
        return Task.CompletedTask;
    }
}

public sealed record SentFrame(string StationId, long Epoch, string Frame);

public sealed record ClosedSocket(string StationId, long Epoch, string Reason);
