namespace Csms.LoadTest;

/// <summary>
/// A log-linear latency histogram (HDR style): microsecond resolution, buckets 1% wide from 1 µs to about 2 hours, so
/// percentiles are accurate to 1% whatever the spread, in constant memory. Thread-safe.
/// </summary>
public sealed class LatencyHistogram
{
    private const double Growth = 1.01;
    private static readonly double LogGrowth = Math.Log(Growth);
    private const int BucketCount = 2300;

    private readonly long[] _buckets = new long[BucketCount];
    private long _count;
    private long _maxMicros;

    public long Count => Interlocked.Read(ref _count);

    public void Record(TimeSpan latency)
    {
        var micros = Math.Max(1, (long)(latency.TotalMilliseconds * 1000));
        var index = Math.Min(BucketCount - 1, (int)(Math.Log(micros) / LogGrowth));
        Interlocked.Increment(ref _buckets[index]);
        Interlocked.Increment(ref _count);
        long max;
        while (micros > (max = Interlocked.Read(ref _maxMicros)) && Interlocked.CompareExchange(ref _maxMicros, micros, max) != max)
        {
        }
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < BucketCount; i++)
        {
            Interlocked.Add(ref _buckets[i], Interlocked.Read(ref other._buckets[i]));
        }
        Interlocked.Add(ref _count, other.Count);
        var otherMax = Interlocked.Read(ref other._maxMicros);
        long max;
        while (otherMax > (max = Interlocked.Read(ref _maxMicros)) && Interlocked.CompareExchange(ref _maxMicros, otherMax, max) != max)
        {
        }
    }

    /// <summary>The latency below which <paramref name="percentile"/> % of the recorded values fall, in milliseconds.</summary>
    public double PercentileMs(double percentile)
    {
        var count = Count;
        if (count == 0)
        {
            return 0;
        }
        var rank = (long)Math.Ceiling(percentile / 100.0 * count);
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += Interlocked.Read(ref _buckets[i]);
            if (seen >= Math.Max(1, rank))
            {
                // the bucket's upper edge, never above the true maximum
                return Math.Min(Math.Pow(Growth, i + 1), Interlocked.Read(ref _maxMicros)) / 1000.0;
            }
        }
        return MaxMs;
    }

    public double MaxMs => Interlocked.Read(ref _maxMicros) / 1000.0;
}
