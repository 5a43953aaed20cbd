using System.Collections.Concurrent;
using System.Diagnostics;

namespace Csms.LoadTest;

/// <summary>What a run measured, shared by all virtual stations.</summary>
public sealed class LoadStats
{
    private readonly ConcurrentDictionary<string, LatencyHistogram> _latency = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private long _messages;
    private long _connectFailures;
    private long _reconnects;
    private long _csmsCalls;

    public int Connected;
    public int Booted;
    public int Charging;
    public long TransactionsCompleted;

    public long Messages => Interlocked.Read(ref _messages);

    public long ConnectFailures => Interlocked.Read(ref _connectFailures);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    public long CsmsCalls => Interlocked.Read(ref _csmsCalls);

    public long Errors => _errors.Values.Sum();

    public IReadOnlyDictionary<string, LatencyHistogram> Latency => _latency;

    public IReadOnlyDictionary<string, long> ErrorsByCode => _errors;

    public void Answered(string action, TimeSpan latency)
    {
        Interlocked.Increment(ref _messages);
        _latency.GetOrAdd(action, _ => new LatencyHistogram()).Record(latency);
    }

    public void Error(string code)
    {
        Interlocked.Increment(ref _messages);
        _errors.AddOrUpdate(code, 1, (_, n) => n + 1);
    }

    /// <summary>Why the most recent connection attempt failed.</summary>
    public string? LastConnectError { get; private set; }

    /// <summary>Successful WebSocket handshakes, first connections and reconnections alike.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    private long _connections;

    public void ConnectFailed(string reason)
    {
        Interlocked.Increment(ref _connectFailures);
        LastConnectError = reason;
    }

    public void ConnectSucceeded() => Interlocked.Increment(ref _connections);

    public void Reconnected() => Interlocked.Increment(ref _reconnects);

    public void CsmsCall() => Interlocked.Increment(ref _csmsCalls);

    private long _stormDropped;
    private long _stormRebooted;
    private long _stormStarted;
    private long _stormRecovered;

    /// <summary>The storm begins now; <see cref="StormHit"/> follows with how many stations it hit.</summary>
    public void StormStarting()
    {
        Interlocked.Exchange(ref _stormDropped, long.MaxValue);
        Interlocked.Exchange(ref _stormStarted, Stopwatch.GetTimestamp());
    }

    /// <summary>The storm hit <paramref name="stations"/> connected stations (some may be booted again already).</summary>
    public void StormHit(int stations)
    {
        Interlocked.Exchange(ref _stormDropped, stations);
        if (Interlocked.Read(ref _stormRebooted) >= stations)
        {
            Interlocked.CompareExchange(ref _stormRecovered, Stopwatch.GetTimestamp(), 0);
        }
    }

    /// <summary>A station the storm hit was accepted by the CSMS again; the last one marks the recovery.</summary>
    public void RebootedAfterStorm()
    {
        if (Interlocked.Increment(ref _stormRebooted) >= Interlocked.Read(ref _stormDropped))
        {
            Interlocked.CompareExchange(ref _stormRecovered, Stopwatch.GetTimestamp(), 0);
        }
    }

    /// <summary>Stations the storm hit, and how many of them have booted again.</summary>
    public (long Dropped, long Rebooted) Storm => (Interlocked.Read(ref _stormDropped), Interlocked.Read(ref _stormRebooted));

    /// <summary>Seconds from the storm until every station it hit was booted again; null when there was no storm or it has not recovered.</summary>
    public double? StormRecoverySeconds
    {
        get
        {
            var recovered = Interlocked.Read(ref _stormRecovered);
            return recovered == 0 ? null : Stopwatch.GetElapsedTime(Interlocked.Read(ref _stormStarted), recovered).TotalSeconds;
        }
    }

    public LatencyHistogram Overall()
    {
        var all = new LatencyHistogram();
        foreach (var histogram in _latency.Values)
        {
            all.Add(histogram);
        }
        return all;
    }
}
