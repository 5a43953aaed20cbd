using System.Diagnostics;

namespace Csms.Cluster.Tests;

public static class Poll
{
    /// <summary>Reads until <paramref name="done"/> holds or 30 s pass; returns the last value for the test to assert on.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var limit = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value) || limit.Elapsed > TimeSpan.FromSeconds(30))
            {
                return value;
            }
            await Task.Delay(250);
        }
    }
}
