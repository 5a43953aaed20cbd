namespace Csms.LoadTest.Tests;

/// <summary>A test class that runs virtual stations (and other background work): all of it is stopped and awaited when each test ends.</summary>
public abstract class StationTestBase : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];

    /// <summary>Cancelled when the test ends.</summary>
    protected CancellationToken Stopping => _stop.Token;

    /// <summary>Runs the station until the test ends.</summary>
    protected VirtualStation Run(VirtualStation station)
    {
        _running.Add(Task.Run(() => station.RunAsync(_stop.Token)));
        return station;
    }

    /// <summary>Work that ends when <see cref="Stopping"/> is cancelled; awaited when the test ends.</summary>
    protected void Background(Task work) => _running.Add(work);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running);
        _stop.Dispose();
    }
}
