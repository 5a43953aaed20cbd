using System.Globalization;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Csms.Grains.Interfaces.Stations;
using Microsoft.Extensions.DependencyInjection;

namespace Csms.Cluster.Tests;

[Collection(PostgresCollection.Name)]
public sealed class GatewayFailoverTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Two_connections_for_one_station_on_two_gateways_converge_to_the_newer_one()
    {
        await using var cluster = new LocalCluster(await postgres.Server.CreateDatabaseAsync());
        await cluster.StartSiloAsync("silo-1");
        var first = await cluster.StartGatewayAsync("gateway-1");
        var second = await cluster.StartGatewayAsync("gateway-2");
        var stationId = $"dup-{Guid.NewGuid():N}"[..16];

        await using var older = await first.ConnectStationAsync(stationId);
        Assert.True((await older.CallAsync("BootNotification", Boot)).IsResult);
        await using var newer = await second.ConnectStationAsync(stationId);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await older.WaitForCloseAsync());
        Assert.True((await newer.CallAsync("Heartbeat", new { })).IsResult);
        var connection = (await first.StationSnapshotAsync(stationId)).GetProperty("connection");
        Assert.Equal("gateway-2", connection.GetProperty("gatewayId").GetString());
        Assert.True(connection.GetProperty("connected").GetBoolean());
    }

    [Fact]
    public async Task After_a_gateway_is_killed_its_station_carries_on_through_the_other_and_commands_reach_it()
    {
        await using var cluster = new LocalCluster(await postgres.Server.CreateDatabaseAsync());
        await cluster.StartSiloAsync("silo-1");
        var doomed = await cluster.StartGatewayAsync("gateway-1");
        var survivor = await cluster.StartGatewayAsync("gateway-2");
        var stationId = $"gw-{Guid.NewGuid():N}"[..16];

        var before = await doomed.ConnectStationAsync(stationId);
        Assert.True((await before.CallAsync("BootNotification", Boot)).IsResult);
        var start = await before.CallAsync("StartTransaction",
            new { connectorId = 1, idTag = "TAG", meterStart = 0, timestamp = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) });
        var transactionId = start.Result.GetProperty("transactionId").GetInt32();
        await doomed.KillAsync();
        await before.DisposeAsync();

        // the station reconnects elsewhere and goes on with its transaction, without a new boot
        await using var after = await survivor.ConnectStationAsync(stationId);
        Assert.True((await after.CallAsync("StopTransaction",
            new { transactionId, meterStop = 500, timestamp = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) })).IsResult);

        using var client = await cluster.ConnectClientAsync();
        var grains = client.Services.GetRequiredService<IClusterClient>();
        var command = await grains.GetGrain<IChargingStationGrain>(stationId).SendCommand(
            new CommandRequest("Reset", """{"type":"Soft"}""", TimeSpan.FromSeconds(30)));
        var call = await after.ReceiveCallAsync();
        Assert.Equal(("Reset", command.CommandId), (call.Action, call.MessageId));
        await after.AnswerAsync(call, new { status = "Accepted" });

        var outcome = await Poll.Until(async () => await grains.GetGrain<IChargingStationGrain>(stationId).GetCommand(command.CommandId),
            c => c?.State == CommandState.Accepted);
        Assert.Equal(CommandState.Accepted, outcome!.State);
        Assert.Equal(500m, await cluster.ScalarAsync<decimal>(
            "SELECT energy_wh FROM csms_transactions WHERE station_id = @s AND transaction_id = @t",
            ("s", stationId), ("t", transactionId.ToString(CultureInfo.InvariantCulture))));
    }

    private static readonly object Boot = new { chargePointVendor = "Acme", chargePointModel = "One" };

}
