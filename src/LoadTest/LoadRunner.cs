using System.Diagnostics;
using System.Globalization;

namespace Csms.LoadTest;

/// <summary>Ramps the virtual stations up, prints progress every second, runs the scenario for its duration, reports.</summary>
public sealed class LoadRunner(LoadOptions options, TextWriter progress)
{
    public LoadStats Stats { get; } = new();

    public async Task<LoadReport> RunAsync(CancellationToken cancellationToken)
    {
        // the run window ends first and the report is taken then, with the stations still connected; then they stop
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        var stations = new List<VirtualStation>(options.Stations);
        var running = new List<Task>(options.Stations);
        var reporting = ProgressLoopAsync(clock, window.Token);
        window.CancelAfter(TimeSpan.FromSeconds(options.DurationSeconds));

        try
        {
            for (var i = 0; i < options.Stations && !window.IsCancellationRequested; i++)
            {
                var charges = options.Scenario == Scenario.Charging || (options.Scenario == Scenario.Mixed && i % 2 == 0);
                var station = new VirtualStation($"{options.IdPrefix}-{i + 1:D5}", options.VersionFor(i), options, Stats, charges);
                stations.Add(station);
                running.Add(Task.Run(() => station.RunAsync(stop.Token), CancellationToken.None));
                // ramp: station i starts i / ramp seconds after the first
                var due = TimeSpan.FromSeconds((i + 1) / options.Ramp) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, window.Token);
                }
            }
            if (options.Scenario == Scenario.Storm)
            {
                var half = TimeSpan.FromSeconds(options.DurationSeconds / 2.0) - clock.Elapsed;
                await Task.Delay(half > TimeSpan.Zero ? half : TimeSpan.Zero, window.Token);
                await progress.WriteLineAsync($"storm: all {stations.Count} stations lose power at once");
                Stats.StormStarting();
                Stats.StormHit(stations.Count(s => s.PowerCycle()));
            }
            await Task.Delay(Timeout.Infinite, window.Token);
        }
        catch (OperationCanceledException)
        {
            // the run's duration is over, or Ctrl+C
        }
        // measured before the stations close their sockets
        var report = LoadReport.From(options, Stats, clock.Elapsed, stations.Sum(s => s.QueuedMessages));
        await stop.CancelAsync();
        await Task.WhenAll(running);
        await reporting;
        return report;
    }

    private async Task ProgressLoopAsync(Stopwatch clock, CancellationToken stop)
    {
        long lastMessages = 0;
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            while (await timer.WaitForNextTickAsync(stop))
            {
                var messages = Stats.Messages;
                var storm = Stats.Storm.Dropped > 0 ? $"  storm: {Stats.Storm.Rebooted}/{Stats.Storm.Dropped} booted again" : "";
                await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{clock.Elapsed.TotalSeconds,6:F0}s  connected {Volatile.Read(ref Stats.Connected),6}  booted {Volatile.Read(ref Stats.Booted),6}  " +
                    $"charging {Volatile.Read(ref Stats.Charging),6}  msgs/s {messages - lastMessages,7}  errors {Stats.Errors,6}  reconnects {Stats.Reconnects,6}{storm}"));
                lastMessages = messages;
            }
        }
        catch (OperationCanceledException)
        {
            // run over
        }
    }
}
