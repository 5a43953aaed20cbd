namespace Csms.Grains.Tests.Cluster;

/// <summary>Bounded polling: no test asserts how long something took, only that it happens within a generous cap.</summary>
public static class Eventually
{
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(10);

    public static async Task<T> Get<T>(Func<Task<T?>> probe, Func<T, bool> done, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow + Cap;
        T? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await probe();
            if (last is not null && done(last))
            {
                return last;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"gave up after {Cap.TotalSeconds:0} s waiting for {what}; last seen: {last?.ToString() ?? "nothing"}");
        throw new InvalidOperationException("unreachable");
    }

    public static Task<T> Get<T>(Func<T?> probe, Func<T, bool> done, string what)
        where T : class => Get(() => Task.FromResult(probe()), done, what);
}
