using System.Collections.Concurrent;

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

    public void ConnectFailed() => Interlocked.Increment(ref _connectFailures);

    public void Reconnected() => Interlocked.Increment(ref _reconnects);

    public void CsmsCall() => Interlocked.Increment(ref _csmsCalls);

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
