using Csms.Grains.Hosting;
using Csms.Grains.Interfaces.ApiKeys;
using Microsoft.Extensions.Options;

namespace Csms.Gateway.Api.Security;

/// <summary>Keeps <see cref="ApiKeyStore"/> in step with the registry grain: keys created or revoked on any gateway apply here within seconds.</summary>
public sealed class ApiKeyRefresher(
    ApiKeyStore store,
    IGrainFactory grains,
    IOptions<ApiOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<ApiKeyRefresher> logger) : BackgroundService
{
    // one read at a time: a periodic read that began before a key was added must not land after the read that sees it
    private readonly SemaphoreSlim _reading = new(1, 1);
    // a gateway starts before it reaches the cluster: failures are only worth a warning once they last
    private static readonly TimeSpan QuietFor = TimeSpan.FromSeconds(30);
    private DateTimeOffset? _failingSince;
    private bool _warned;

    public async Task RefreshAsync()
    {
        await _reading.WaitAsync();
        try
        {
            store.Update(await grains.GetGrain<IApiKeyRegistryGrain>(0).List());
        }
        finally
        {
            _reading.Release();
        }
    }

    public override void Dispose()
    {
        _reading.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // standalone: the co-hosted silo takes calls once the host has started (configured keys work meanwhile)
        await lifetime.WhenStarted(stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.Value.KeyRefreshSeconds)));
        do
        {
            try
            {
                await RefreshAsync();
                if (_warned)
                {
                    logger.LogInformation("API keys re-read from the cluster again");
                }
                _failingSince = null;
                _warned = false;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // the cluster may not be reachable yet; configured keys keep working meanwhile
                _failingSince ??= DateTimeOffset.UtcNow;
                if (!_warned && DateTimeOffset.UtcNow - _failingSince > QuietFor)
                {
                    logger.LogWarning("Could not read the API keys from the cluster for {Seconds} s ({Error}); keys created through the API " +
                        "are not accepted on this gateway until it can; retrying every {Refresh} s",
                        (int)QuietFor.TotalSeconds, ex.Message, options.Value.KeyRefreshSeconds);
                    _warned = true;
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
