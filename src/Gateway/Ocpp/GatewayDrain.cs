using System.Net.WebSockets;
using Csms.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace Csms.Gateway.Ocpp;

/// <summary>
/// Graceful shutdown: once the host starts stopping, new upgrades are refused (503) and live sockets are closed with
/// 1001 (going away) at random moments over <c>Gateway:DrainSeconds</c>, so stations reconnect to other gateways
/// gradually instead of all at once.
/// </summary>
public sealed class GatewayDrain(
    ConnectionRegistry registry,
    IHostApplicationLifetime lifetime,
    IOptions<GatewayOptions> options,
    ILogger<GatewayDrain> logger) : IHostedService
{
    private Task _draining = Task.CompletedTask;
    private volatile bool _isDraining;

    public bool IsDraining => _isDraining;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(() => _draining = DrainAsync());
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _draining.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Shutdown timeout reached while draining; remaining sockets are aborted");
        }
    }

    private async Task DrainAsync()
    {
        _isDraining = true;
        var sockets = registry.All.ToArray();
        var window = TimeSpan.FromSeconds(Math.Max(0, options.Value.DrainSeconds));
        logger.LogInformation("Draining {Count} station connection(s) over {Window}", sockets.Length, window);
        await Task.WhenAll(sockets.Select(async socket =>
        {
            await Task.Delay(window * Random.Shared.NextDouble());
            socket.RequestClose(WebSocketCloseStatus.EndpointUnavailable, "gateway shutting down; reconnect");
        }));
    }
}
