using System.Diagnostics;

namespace Csms.Cluster.Tests;

public static class Poll
{
    /// <summary>Reads until <paramref name="done"/> holds or the limit (30 s) passes; returns the last value for the test to assert on.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? limit = null)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value) || elapsed.Elapsed > (limit ?? TimeSpan.FromSeconds(30)))
            {
                return value;
            }
            await Task.Delay(250);
        }
    }
}
