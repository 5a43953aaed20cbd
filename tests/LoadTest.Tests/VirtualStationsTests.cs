using System.Net;
using System.Net.Sockets;
using Csms.Gateway;
using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Ledger;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Csms.LoadTest.Tests;

/// <summary>The load tester's virtual stations against the real gateway in standalone mode, on 127.0.0.1.</summary>
public sealed class VirtualStationsTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private Uri _url = null!;

    public async Task InitializeAsync()
    {
        _app = CsmsGateway.Build([
            "--urls", "http://127.0.0.1:0",
            $"--Standalone:SiloPort={FreePort()}",
            $"--Standalone:GatewayPort={FreePort()}",
            "--Gateway:DrainSeconds=0",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _app.StartAsync();
        _url = new Uri(_app.Urls.First().Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/') + "/ocpp");
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Fifty_charging_stations_boot_their_transactions_reach_the_ledger_and_they_answer_the_CSMS()
    {
        var prefix = $"lt{Guid.NewGuid():N}"[..8];
        var options = new LoadOptions
        {
            Url = _url, Stations = 50, Ramp = 100, DurationSeconds = 10, Version = "mixed", Scenario = Scenario.Charging,
            MeterIntervalSeconds = 1, TransactionSeconds = 2, HeartbeatSeconds = 2, IdPrefix = prefix,
        };
        var run = new LoadRunner(options, TextWriter.Null).RunAsync(CancellationToken.None);

        // while they run, an operator command to the first (1.6) station
        var grains = _app.Services.GetRequiredService<IGrainFactory>();
        var first = grains.GetGrain<IChargingStationGrain>($"{prefix}-00001".ToLowerInvariant());
        await Until(async () => (await first.GetSnapshot()).Registration == RegistrationStatus.Accepted);
        var command = await first.SendCommand(new CommandRequest("TriggerMessage", """{"requestedMessage":"Heartbeat"}""", TimeSpan.FromSeconds(20)));
        await Until(async () => (await first.GetCommand(command.CommandId))?.State == CommandState.Accepted);

        var report = await run;

        Assert.Equal(50, report.StationsBooted);
        Assert.Empty(report.ErrorsByCode);
        Assert.Equal(0, report.ConnectFailures);
        Assert.True(report.TransactionsCompleted > 0, "no transaction completed");
        Assert.True(report.CsmsCallsAnswered >= 1);
        var ledger = _app.Services.GetRequiredService<ITransactionLedger>();
        var rows = 0;
        for (var i = 1; i <= options.Stations; i++)
        {
            rows += (await ledger.ListAsync($"{prefix}-{i:D5}".ToLowerInvariant(), 100)).Count;
        }
        // every transaction a station saw acknowledged as stopped is in the ledger (one may be stopped as the run ends)
        Assert.True(rows >= report.TransactionsCompleted, $"{rows} ledger rows for {report.TransactionsCompleted} completed transactions");
    }

    private static async Task Until(Func<Task<bool>> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            await Task.Delay(100, limit.Token);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
