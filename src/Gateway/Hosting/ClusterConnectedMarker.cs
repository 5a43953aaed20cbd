namespace Csms.Gateway.Hosting;

/// <summary>Runs after the Orleans client's own start (which only returns once connected) and marks the gateway ready.</summary>
public sealed class ClusterConnectedMarker(ClusterConnection connection) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        connection.MarkConnected();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
