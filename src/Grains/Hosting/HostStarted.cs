using Microsoft.Extensions.Hosting;

namespace Csms.Grains.Hosting;

/// <summary>For background loops that call grains: wait until the host (and so the silo or the cluster client in it) has started.</summary>
public static class HostStarted
{
    /// <summary>Completes once every hosted service has started; a grain call before that only fails and is retried noisily.</summary>
    public static async Task WhenStarted(this IHostApplicationLifetime lifetime, CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
    }
}
