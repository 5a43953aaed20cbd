using Csms.Grains.Interfaces.Stations;

namespace Csms.LoadTest.Tests;

/// <summary>The load tester's virtual stations against the real gateway in standalone mode, on 127.0.0.1.</summary>
public sealed class VirtualStationsTests(StandaloneGateway gateway) : IClassFixture<StandaloneGateway>
{
    [Fact]
    public async Task Fifty_charging_stations_boot_their_transactions_reach_the_ledger_and_they_answer_the_CSMS()
    {
        var prefix = $"lt{Guid.NewGuid():N}"[..8];
        var options = new LoadOptions
        {
            Url = gateway.Url, Stations = 50, Ramp = 100, DurationSeconds = 10, Version = "mixed", Scenario = Scenario.Charging,
            MeterIntervalSeconds = 1, TransactionSeconds = 2, HeartbeatSeconds = 2, IdPrefix = prefix,
        };
        var run = new LoadRunner(options, TextWriter.Null).RunAsync(CancellationToken.None);

        // while they run, an operator command to the first (1.6) station
        var first = $"{prefix}-00001";
        await StandaloneGateway.Until(async () => (await gateway.Station(first).GetSnapshot()).Registration == RegistrationStatus.Accepted, "the first station's boot");
        var command = await gateway.Command(first, "TriggerMessage", """{"requestedMessage":"Heartbeat"}""");
        Assert.Equal(CommandState.Accepted, command.State);

        var report = await run;

        Assert.Equal(50, report.StationsBooted);
        Assert.Empty(report.ErrorsByCode);
        Assert.Equal(0, report.ConnectFailures);
        Assert.True(report.TransactionsCompleted > 0, "no transaction completed");
        Assert.True(report.CsmsCallsAnswered >= 1);
        var rows = 0;
        for (var i = 1; i <= options.Stations; i++)
        {
            rows += (await gateway.Completed($"{prefix}-{i:D5}")).Count;
        }
        // every transaction a station saw acknowledged as stopped is in the ledger (one may be stopped as the run ends)
        Assert.True(rows >= report.TransactionsCompleted, $"{rows} ledger rows for {report.TransactionsCompleted} completed transactions");
    }

    [Fact]
    public async Task A_storm_power_cycles_every_connected_station_and_the_report_says_when_all_were_booted_again()
    {
        var options = new LoadOptions
        {
            Url = gateway.Url, Stations = 40, Ramp = 100, DurationSeconds = 14, Version = "mixed", Scenario = Scenario.Storm,
            IdPrefix = $"st{Guid.NewGuid():N}"[..8],
        };

        var report = await new LoadRunner(options, TextWriter.Null).RunAsync(CancellationToken.None);

        Assert.Equal(40, report.StormStations);
        Assert.Equal(40, report.StormRebooted);
        Assert.NotNull(report.StormRecoverySeconds);
        Assert.Equal(40, report.StationsBooted);
        Assert.True(report.Reconnects >= 40, $"{report.Reconnects} reconnects");
        Assert.Empty(report.ErrorsByCode);
        // each station booted twice: before and after the storm
        Assert.Equal(80, report.LatencyMsByAction["BootNotification"].Count);
    }
}
