using System.Diagnostics;
using System.Net;
using Csms.Grains.Interfaces.Stations;
using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Csms.Cluster.Tests;

[Collection(PostgresCollection.Name)]
public sealed class FailoverTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan RetryLimit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Station_state_the_ledger_meter_values_and_events_survive_a_restart_of_every_process()
    {
        await using var cluster = new LocalCluster(await postgres.Server.CreateDatabaseAsync());
        var stationId = NewStationId();
        var silo = await cluster.StartSiloAsync("silo-1");
        var gateway = await cluster.StartGatewayAsync("gateway-1");

        int transactionId;
        await using (var station = await gateway.ConnectStationAsync(stationId))
        {
            await Boot(station);
            transactionId = await StartTransaction(station, meterStart: 1000);
            await Answered(station, "MeterValues", MeterValues(transactionId, 1500));
            await Answered(station, "StopTransaction", new { transactionId, meterStop = 2200, timestamp = Now() });
        }
        await gateway.StopAsync();
        await silo.StopAsync();

        await cluster.StartSiloAsync("silo-1b");
        var restarted = await cluster.StartGatewayAsync("gateway-1b");

        var snapshot = await restarted.StationSnapshotAsync(stationId);
        Assert.Equal("Accepted", snapshot.GetProperty("registration").GetString());
        var completed = snapshot.GetProperty("recentTransactions").EnumerateArray()
            .Single(t => t.GetProperty("transactionId").GetString() == transactionId.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(1200m, completed.GetProperty("energyWh").GetDecimal());
        Assert.Equal(1200m, await cluster.ScalarAsync<decimal>(
            "SELECT energy_wh FROM csms_transactions WHERE station_id = @s AND transaction_id = @t",
            ("s", stationId), ("t", transactionId.ToString(CultureInfo.InvariantCulture))));

        Assert.Equal(1500m, await cluster.ScalarAsync<decimal>(
            "SELECT value FROM csms_meter_values WHERE station_id = @s AND transaction_id = @t",
            ("s", stationId), ("t", transactionId.ToString(CultureInfo.InvariantCulture))));
        Assert.Equal(1L, await cluster.ScalarAsync<long>(
            "SELECT count(*) FROM csms_station_events WHERE station_id = @s AND kind = 'Boot'", ("s", stationId)));
        Assert.Equal("Accepted", await cluster.ScalarAsync<string>("SELECT registration FROM csms_stations WHERE station_id = @s", ("s", stationId)));

        // a station reconnecting after the restart carries on without a new boot
        await using var again = await restarted.ConnectStationAsync(stationId);
        Assert.True((await again.CallAsync("Heartbeat", new { })).IsResult);
    }

    [Fact]
    public async Task Killing_the_silo_that_hosts_a_station_mid_transaction_loses_and_duplicates_nothing()
    {
        await using var cluster = new LocalCluster(await postgres.Server.CreateDatabaseAsync());
        var stationId = NewStationId();
        await cluster.StartSiloAsync("silo-1");
        await cluster.StartSiloAsync("silo-2");
        var gateway = await cluster.StartGatewayAsync("gateway-1");
        await using var station = await gateway.ConnectStationAsync(stationId);
        await Boot(station);
        var transactionId = await StartTransaction(station, meterStart: 0);
        var hostedBy = (await gateway.StationSnapshotAsync(stationId)).GetProperty("hostedBy").GetString()!;

        const int meterValues = 20;
        var killed = Stopwatch.StartNew();
        await cluster.SiloHosting(hostedBy).KillAsync();
        TimeSpan? recovered = null;
        for (var i = 1; i <= meterValues; i++)
        {
            await Answered(station, "MeterValues", MeterValues(transactionId, i * 100));
            recovered ??= killed.Elapsed;
        }
        await Answered(station, "StopTransaction", new { transactionId, meterStop = meterValues * 100, timestamp = Now() });
        output.WriteLine($"failover: first answered message {recovered!.Value.TotalSeconds:F1} s after kill -9 of {hostedBy}");

        var id = transactionId.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(1L, await cluster.ScalarAsync<long>(
            "SELECT count(*) FROM csms_transactions WHERE station_id = @s AND transaction_id = @t", ("s", stationId), ("t", id)));
        Assert.Equal(meterValues * 100m, await cluster.ScalarAsync<decimal>(
            "SELECT energy_wh FROM csms_transactions WHERE station_id = @s AND transaction_id = @t", ("s", stationId), ("t", id)));
        // every acknowledged message is there exactly once: start, each meter value, stop
        Assert.Equal(meterValues + 2, await cluster.ScalarAsync<int>(
            "SELECT events_received FROM csms_transactions WHERE station_id = @s AND transaction_id = @t", ("s", stationId), ("t", id)));
        // and every acknowledged meter value reaches the append-only table once (batches leave the grains shortly after)
        var storedSamples = await Poll.Until(
            () => cluster.ScalarAsync<long>("SELECT count(DISTINCT value) FROM csms_meter_values WHERE station_id = @s AND transaction_id = @t",
                ("s", stationId), ("t", id)),
            count => count >= meterValues);
        Assert.Equal(meterValues, storedSamples);
        Assert.Equal(meterValues, await cluster.ScalarAsync<long>(
            "SELECT count(*) FROM csms_meter_values WHERE station_id = @s AND transaction_id = @t", ("s", stationId), ("t", id)));
        Assert.Equal(1L, await Poll.Until(
            () => cluster.ScalarAsync<long>("SELECT count(*) FROM csms_station_events WHERE station_id = @s AND kind = 'Boot'", ("s", stationId)),
            count => count >= 1));
        Assert.Equal("Accepted", await cluster.ScalarAsync<string>("SELECT registration FROM csms_stations WHERE station_id = @s", ("s", stationId)));

        // the grain now lives on the surviving silo and can still reach the station's socket
        using var client = await cluster.ConnectClientAsync();
        var command = await client.Services.GetRequiredService<IClusterClient>().GetGrain<IChargingStationGrain>(stationId)
            .SendCommand(new CommandRequest("TriggerMessage", """{"requestedMessage":"Heartbeat"}""", TimeSpan.FromSeconds(30)));
        var call = await station.ReceiveCallAsync();
        Assert.Equal(("TriggerMessage", command.CommandId), (call.Action, call.MessageId));
    }

    [Fact]
    public async Task A_gateway_is_not_ready_while_no_silo_is_reachable_and_ready_again_when_one_is()
    {
        await using var cluster = new LocalCluster(await postgres.Server.CreateDatabaseAsync());
        var silo = await cluster.StartSiloAsync("silo-1");
        var gateway = await cluster.StartGatewayAsync("gateway-1");
        using var http = new HttpClient { BaseAddress = gateway.Http };

        // stopped, not killed: a new silo cannot join while a killed one still counts as alive (see README, failover)
        await silo.StopAsync();
        var whileDown = await Poll.Until(async () => (await http.GetAsync("/readyz")).StatusCode, s => s == HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileDown);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);

        await cluster.StartSiloAsync("silo-2");
        // within a few of the client's silo-list refreshes (10 s)
        var afterwards = await Poll.Until(async () => (await http.GetAsync("/readyz")).StatusCode, s => s == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, afterwards);
    }

    private static string NewStationId() => $"cp-{Guid.NewGuid():N}"[..16];

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static Task Boot(TestStation station) =>
        Answered(station, "BootNotification", new { chargePointVendor = "Acme", chargePointModel = "One" });

    private static async Task<int> StartTransaction(TestStation station, int meterStart)
    {
        var answer = await Answered(station, "StartTransaction", new { connectorId = 1, idTag = "TAG", meterStart, timestamp = Now() });
        return answer.GetProperty("transactionId").GetInt32();
    }

    private static object MeterValues(int transactionId, int wh) => new
    {
        connectorId = 1,
        transactionId,
        meterValue = new[] { new { timestamp = Now(), sampledValue = new[] { new { value = wh.ToString(CultureInfo.InvariantCulture) } } } },
    };

    /// <summary>Sends until answered, as a station does: a CALLERROR (the cluster is failing over) is retried after a pause.</summary>
    private static async Task<JsonElement> Answered(TestStation station, string action, object payload)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var answer = await station.CallAsync(action, payload);
            if (answer.IsResult)
            {
                return answer.Result;
            }
            if (deadline.Elapsed > RetryLimit)
            {
                throw new TimeoutException($"{action} still refused after {RetryLimit}: {answer.Raw}");
            }
            await Task.Delay(500);
        }
    }
}
