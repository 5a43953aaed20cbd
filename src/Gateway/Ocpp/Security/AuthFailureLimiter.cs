using System.Collections.Concurrent;
using System.Net;

namespace Csms.Gateway.Ocpp.Security;

/// <summary>Limits on failed station authentications (section <c>Gateway:Security</c>).</summary>
public sealed class StationSecurityOptions
{
    public const string Section = "Gateway:Security";

    /// <summary>Failed authentications from one address within the window before it is refused without a check.</summary>
    public int MaxFailuresPerAddress { get; set; } = 10;

    /// <summary>
    /// Failed authentications for one identity within the window before addresses that already failed for it are
    /// refused without a check. An address with no failures is still checked, so a station under attack from elsewhere
    /// can still connect.
    /// </summary>
    public int MaxFailuresPerIdentity { get; set; } = 20;

    public int FailureWindowSeconds { get; set; } = 60;
}

/// <summary>
/// Counts failed station authentications per source address and per identity over a sliding window (one per gateway,
/// in memory, bounded): a brute force is throttled before it costs a password hash, and a legitimate station that
/// has not failed keeps connecting.
/// </summary>
public sealed class AuthFailureLimiter(StationSecurityOptions options, TimeProvider clock)
{
    /// <summary>Beyond this many tracked keys the oldest half is forgotten: memory stays bounded under a spray of identities.</summary>
    private const int MaxTracked = 100_000;

    private readonly ConcurrentDictionary<string, Window> _byAddress = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Window> _byIdentity = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _failedPairs = new(StringComparer.Ordinal);

    private TimeSpan WindowLength => TimeSpan.FromSeconds(options.FailureWindowSeconds);

    /// <summary>Null when the attempt may be checked; otherwise how long the caller should wait.</summary>
    public TimeSpan? Throttled(IPAddress? address, string identity)
    {
        var now = clock.GetUtcNow();
        var from = Key(address);
        if (Count(_byAddress, from, now) >= options.MaxFailuresPerAddress)
        {
            return WindowLength;
        }
        if (Count(_byIdentity, identity, now) >= options.MaxFailuresPerIdentity && _failedPairs.ContainsKey(Pair(from, identity)))
        {
            return WindowLength;
        }
        return null;
    }

    public void Failed(IPAddress? address, string identity)
    {
        var now = clock.GetUtcNow();
        var from = Key(address);
        Add(_byAddress, from, now);
        Add(_byIdentity, identity, now);
        _failedPairs[Pair(from, identity)] = 0;
        Trim(_failedPairs);
    }

    /// <summary>A success clears the address's failures for that identity (a station that mistyped once is not held back).</summary>
    public void Succeeded(IPAddress? address, string identity) => _failedPairs.TryRemove(Pair(Key(address), identity), out _);

    private int Count(ConcurrentDictionary<string, Window> windows, string key, DateTimeOffset now) =>
        windows.TryGetValue(key, out var window) ? window.Count(now - WindowLength) : 0;

    private void Add(ConcurrentDictionary<string, Window> windows, string key, DateTimeOffset now)
    {
        windows.GetOrAdd(key, _ => new Window()).Add(now, now - WindowLength);
        Trim(windows);
    }

    private static void Trim<T>(ConcurrentDictionary<string, T> map)
    {
        if (map.Count <= MaxTracked)
        {
            return;
        }
        foreach (var key in map.Keys.Take(map.Count / 2))
        {
            map.TryRemove(key, out _);
        }
    }

    private static string Key(IPAddress? address) => address?.ToString() ?? "unknown";

    private static string Pair(string address, string identity) => $"{address} {identity}";

    /// <summary>Failure times within the window (at most a few dozen: beyond the limit nothing more is checked).</summary>
    private sealed class Window
    {
        private readonly Queue<DateTimeOffset> _times = new();

        public int Count(DateTimeOffset since)
        {
            lock (_times)
            {
                Drop(since);
                return _times.Count;
            }
        }

        public void Add(DateTimeOffset at, DateTimeOffset since)
        {
            lock (_times)
            {
                Drop(since);
                if (_times.Count < 1_000)
                {
                    _times.Enqueue(at);
                }
            }
        }

        private void Drop(DateTimeOffset since)
        {
            while (_times.Count > 0 && _times.Peek() < since)
            {
                _times.Dequeue();
            }
        }
    }
}
