namespace Csms.LoadTest.Tests;

public sealed class UnreachableCsmsTests
{
    [Fact]
    public async Task Against_a_port_nobody_listens_on_no_station_connects_and_the_reason_is_kept_for_the_exit_message()
    {
        var port = Loopback.FreePort();
        var options = new LoadOptions { Url = new Uri($"ws://127.0.0.1:{port}/ocpp"), Stations = 3, Ramp = 10, DurationSeconds = 2 };
        var runner = new LoadRunner(options, TextWriter.Null);

        var report = await runner.RunAsync(CancellationToken.None);

        Assert.Equal(0, runner.Stats.Connections);
        Assert.True(report.ConnectFailures >= 3, $"{report.ConnectFailures} connect failures");
        Assert.False(string.IsNullOrEmpty(runner.Stats.LastConnectError));
        Assert.Equal(0, report.StationsConnected);
    }
}
