namespace Csms.LoadTest.Tests;

public class LoadOptionsTests
{
    [Fact]
    public void Every_documented_option_is_read()
    {
        var options = LoadOptions.Parse(["--url", "ws://127.0.0.1:8080/ocpp", "--stations", "10000", "--ramp", "250", "--duration", "600",
            "--version", "mixed", "--scenario", "storm", "--report", "r.json", "--id-prefix", "cp", "--meter-interval", "5",
            "--transaction", "30", "--heartbeat", "60"]);

        Assert.Equal(new Uri("ws://127.0.0.1:8080/ocpp"), options.Url);
        Assert.Equal((10000, 250.0, 600, "mixed", Scenario.Storm, "r.json"),
            (options.Stations, options.Ramp, options.DurationSeconds, options.Version, options.Scenario, options.ReportFile));
        Assert.Equal(("cp", 5, 30, 60), (options.IdPrefix, options.MeterIntervalSeconds, options.TransactionSeconds, options.HeartbeatSeconds));
    }

    [Theory]
    [InlineData(new[] { "--stations", "5" }, "--url is required")]
    [InlineData(new[] { "--url", "http://x" }, "--url must be a ws:// or wss:// URL")]
    [InlineData(new[] { "--url", "ws://x", "--stations", "0" }, "--stations must be an integer of at least 1")]
    [InlineData(new[] { "--url", "ws://x", "--version", "1.5" }, "--version must be 1.6, 2.0.1, 2.1 or mixed")]
    [InlineData(new[] { "--url", "ws://x", "--scenario", "chaos" }, "--scenario must be idle, charging, storm or mixed")]
    [InlineData(new[] { "--url", "ws://x", "--frobnicate" }, "unknown option --frobnicate")]
    [InlineData(new[] { "--url" }, "--url needs a value")]
    public void Bad_options_are_refused_with_a_message_that_names_them(string[] args, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => LoadOptions.Parse(args)).Message);

    [Fact]
    public void Mixed_spreads_stations_over_the_three_versions()
    {
        var options = LoadOptions.Parse(["--url", "ws://x", "--version", "mixed"]);

        Assert.Equal([Ocpp.OcppVersion.V16, Ocpp.OcppVersion.V201, Ocpp.OcppVersion.V21], Enumerable.Range(0, 3).Select(options.VersionFor));
    }
}
