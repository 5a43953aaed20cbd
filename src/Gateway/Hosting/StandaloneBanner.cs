namespace Csms.Gateway.Hosting;

/// <summary>Says loudly, once, that standalone mode keeps nothing.</summary>
public sealed class StandaloneBanner(ILogger<StandaloneBanner> logger, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => logger.LogWarning(
            "STANDALONE MODE: one process with an in-memory silo. NOTHING IS PERSISTED: stations, transactions and the ledger " +
            "are lost when this process stops. Cluster mode on PostgreSQL is described in the README."));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
