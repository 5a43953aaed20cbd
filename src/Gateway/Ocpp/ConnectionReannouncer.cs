using System.Net.WebSockets;
using Csms.Gateway.Hosting;
using Csms.Grains.Interfaces.Connections;
using Csms.Grains.Interfaces.Stations;
using Microsoft.Extensions.Options;

namespace Csms.Gateway.Ocpp;

/// <summary>
/// Re-announces this gateway's live sockets to their station grains every <c>Gateway:ReannounceSeconds</c>, so that a
/// grain re-activated elsewhere (after a silo failure) gets its gateway link back; a socket whose epoch is stale is
/// closed. A grain that answers a message without a link is re-announced at once (<see cref="ReannounceAsync"/>).
/// </summary>
public sealed class ConnectionReannouncer(
    ConnectionRegistry registry,
    GatewayLink link,
    GatewayIdentity gateway,
    IGrainFactory grains,
    IOptions<GatewayOptions> options,
    ILogger<ConnectionReannouncer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ReannounceSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var socket in registry.All.ToArray())
            {
                await ReannounceAsync(socket);
            }
        }
    }

    public async Task ReannounceAsync(StationSocket socket)
    {
        try
        {
            var connection = new StationConnection(gateway.Id, link.Reference, socket.Version, null, DateTimeOffset.UtcNow);
            if (!await grains.GetGrain<IChargingStationGrain>(socket.StationId).Reannounce(socket.Epoch, connection))
            {
                socket.RequestClose(WebSocketCloseStatus.PolicyViolation, "replaced by a newer connection for the same station");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Re-announcing station {Station} failed; will retry", socket.StationId);
        }
    }
}
