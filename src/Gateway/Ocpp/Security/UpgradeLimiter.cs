using System.Threading.RateLimiting;
using Csms.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace Csms.Gateway.Ocpp.Security;

/// <summary>
/// What one gateway takes on: at most <see cref="GatewayOptions.MaxConnections"/> station sockets, and new upgrades at
/// most <see cref="GatewayOptions.MaxUpgradesPerSecond"/> (a token bucket, so a reconnect storm is spread out rather
/// than refused outright). Refusals are 503 with Retry-After, which stations treat as "try again".
/// </summary>
public sealed class UpgradeLimiter : IDisposable
{
    private readonly GatewayOptions _options;
    private readonly ConnectionRegistry _registry;
    private readonly TokenBucketRateLimiter _upgrades;

    public UpgradeLimiter(IOptions<GatewayOptions> options, ConnectionRegistry registry)
    {
        _options = options.Value;
        _registry = registry;
        _upgrades = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = _options.MaxUpgradesPerSecond,
            TokensPerPeriod = _options.MaxUpgradesPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>Null when the upgrade may go ahead; otherwise why not.</summary>
    public string? Refusal()
    {
        if (_registry.Count >= _options.MaxConnections)
        {
            return $"this gateway holds its maximum of {_options.MaxConnections} station connections; retry later or connect to another gateway";
        }
        using var lease = _upgrades.AttemptAcquire();
        return lease.IsAcquired ? null : $"this gateway takes at most {_options.MaxUpgradesPerSecond} new connections per second; retry shortly";
    }

    public void Dispose() => _upgrades.Dispose();
}
