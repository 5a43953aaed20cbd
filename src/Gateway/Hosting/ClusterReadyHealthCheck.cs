using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Csms.Gateway.Hosting;

/// <summary>Ready once the host (and with it the silo) has started, and until it starts stopping.</summary>
public sealed class ClusterReadyHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("shutting down"));
        }
        return Task.FromResult(lifetime.ApplicationStarted.IsCancellationRequested
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("starting"));
    }
}
