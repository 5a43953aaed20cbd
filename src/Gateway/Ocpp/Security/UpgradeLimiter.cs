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
    private readonly TokenBucketRateLimiter _upgrades;
    private int _slots;

    public UpgradeLimiter(IOptions<GatewayOptions> options)
    {
        _options = options.Value;
        _upgrades = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = _options.MaxUpgradesPerSecond,
            TokensPerPeriod = _options.MaxUpgradesPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>
    /// A slot for one connection, held (dispose it) from before the upgrade until the socket is gone, so upgrades in
    /// flight count too; null with the reason when there is none.
    /// </summary>
    public IDisposable? TryReserve(out string refusal)
    {
        if (Interlocked.Increment(ref _slots) > _options.MaxConnections)
        {
            Interlocked.Decrement(ref _slots);
            refusal = $"this gateway holds its maximum of {_options.MaxConnections} station connections; retry later or connect to another gateway";
            return null;
        }
        using var lease = _upgrades.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            Interlocked.Decrement(ref _slots);
            refusal = $"this gateway takes at most {_options.MaxUpgradesPerSecond} new connections per second; retry shortly";
            return null;
        }
        refusal = "";
        return new Slot(this);
    }

    private sealed class Slot(UpgradeLimiter owner) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref owner._slots);
            }
        }
    }

    public void Dispose() => _upgrades.Dispose();
}
