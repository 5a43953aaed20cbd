using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Messaging;

namespace Csms.Gateway.Hosting;

/// <summary>Whether this gateway (an Orleans client in cluster mode) can reach at least one silo; readiness follows it.</summary>
public sealed class ClusterConnection(ILogger<ClusterConnection> logger) : IHealthCheck, IClientConnectionRetryFilter
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);
    private volatile bool _connected;

    public void OnGatewayCountChanged(object? sender, GatewayCountChangedEventArgs e)
    {
        _connected = e.NumberOfConnectedGateways > 0;
        logger.LogInformation("Connected to {Count} silo gateway(s)", e.NumberOfConnectedGateways);
    }

    public void OnConnectionLost(object? sender, EventArgs e)
    {
        _connected = false;
        logger.LogWarning("Lost the connection to the cluster; retrying");
    }

    /// <summary>At start-up, keep trying until a silo answers: silos may start after gateways.</summary>
    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        logger.LogWarning("No silo reachable yet ({Reason}); retrying in {Delay}", exception.Message, RetryDelay);
        await Task.Delay(RetryDelay, cancellationToken);
        return !cancellationToken.IsCancellationRequested;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_connected ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("no connection to the Orleans cluster"));

    /// <summary>Called once the client has started: it is connected then.</summary>
    public void MarkConnected() => _connected = true;
}
