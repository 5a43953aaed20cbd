using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Csms.Cluster.Tests;

/// <summary>The operator API in cluster mode: commands through the durable outbox across a silo failure, lists from PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OperatorApiClusterTests(PostgresFixture postgres)
{
    private static readonly object Boot = new { chargePointVendor = "Acme", chargePointModel = "One" };

    [Fact]
    public async Task A_command_queued_for_an_offline_station_survives_the_silo_holding_it_being_killed_and_reaches_the_station_later()
    {
        await using var cluster = new LocalCluster(await postgres.Server.CreateDatabaseAsync());
        await cluster.StartSiloAsync("silo-1");
        await cluster.StartSiloAsync("silo-2");
        var gateway1 = await cluster.StartGatewayAsync("gateway-1");
        var gateway2 = await cluster.StartGatewayAsync("gateway-2");
        var stationId = $"api-{Guid.NewGuid():N}"[..16];
        await using (var station = await gateway1.ConnectStationAsync(stationId))
        {
            Assert.True((await station.CallAsync("BootNotification", Boot)).IsResult);
        }
        await Poll.Until(async () => (await gateway1.StationSnapshotAsync(stationId)).GetProperty("connection").GetProperty("connected").GetBoolean(),
            connected => !connected);

        using var api = gateway2.ApiClient();
        using var queuedResponse = await api.PostAsJsonAsync($"/api/v1/stations/{stationId}/commands",
            new { action = "Reset", payload = new { type = "Soft" } });
        Assert.Equal(HttpStatusCode.Accepted, queuedResponse.StatusCode);
        var commandId = (await queuedResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("commandId").GetString();
        var hostedBy = (await gateway2.StationSnapshotAsync(stationId)).GetProperty("hostedBy").GetString()!;
        await cluster.SiloHosting(hostedBy).KillAsync();

        // the station comes back (through the other gateway) once the cluster has moved on: the queued Reset is sent
        await using var again = await Poll.Until(async () =>
        {
            TestStation? socket = null;
            try
            {
                socket = await gateway1.ConnectStationAsync(stationId);
                if ((await socket.CallAsync("Heartbeat", new { })).IsResult)
                {
                    return socket;
                }
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or System.Net.WebSockets.WebSocketException
                or OperationCanceledException)
            {
                // the cluster has not moved on yet (the upgrade was refused, or not answered in time)
            }
            // a socket left open would still register with the grain later and take the station's commands
            if (socket is not null)
            {
                await socket.DisposeAsync();
            }
            return null;
        }, s => s is not null, TimeSpan.FromSeconds(90));
        IncomingCall call;
        try
        {
            call = await again!.ReceiveCallAsync();
        }
        catch (TimeoutException ex)
        {
            var snapshot = await gateway1.StationSnapshotAsync(stationId);
            throw new TimeoutException($"{ex.Message}; the station now: {snapshot}\n{gateway1.Output}", ex);
        }
        Assert.Equal(("Reset", commandId), (call.Action, call.MessageId));
        await again.AnswerAsync(call, new { status = "Accepted" });

        var outcome = await Poll.Until(async () =>
            (await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{stationId}/commands/{commandId}")).GetProperty("state").GetString(),
            state => state == "Accepted");
        Assert.Equal("Accepted", outcome);
        // and the command history reaches PostgreSQL once
        Assert.Equal(1L, await Poll.Until(() => cluster.ScalarAsync<long>(
            "SELECT count(*) FROM csms_commands WHERE station_id = @s AND command_id = @c", ("s", stationId), ("c", commandId!)), n => n == 1));
    }

    [Fact]
    public async Task Stations_and_transactions_are_listed_from_PostgreSQL_through_any_gateway()
    {
        await using var cluster = new LocalCluster(await postgres.Server.CreateDatabaseAsync());
        await cluster.StartSiloAsync("silo-1");
        var gateway1 = await cluster.StartGatewayAsync("gateway-1");
        var gateway2 = await cluster.StartGatewayAsync("gateway-2");
        var stationId = $"lst-{Guid.NewGuid():N}"[..16];
        using var api = gateway2.ApiClient();
        using (var registered = await api.PutAsJsonAsync($"/api/v1/stations/{stationId}/registration", new { site = "depot-" + stationId }))
        {
            Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        }

        await using var station = await gateway1.ConnectStationAsync(stationId);
        Assert.True((await station.CallAsync("BootNotification", Boot)).IsResult);
        var start = await station.CallAsync("StartTransaction",
            new { connectorId = 1, idTag = "LIST-TAG", meterStart = 0, timestamp = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) });
        var transactionId = start.Result.GetProperty("transactionId").GetInt32();
        Assert.True((await station.CallAsync("StopTransaction",
            new { transactionId, meterStop = 750, timestamp = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) })).IsResult);

        var listed = await Poll.Until(async () => await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations?site=depot-{stationId}"),
            page => page.GetProperty("items").GetArrayLength() == 1);
        Assert.Equal("Acme", listed.GetProperty("items")[0].GetProperty("vendor").GetString());
        var transactions = await api.GetFromJsonAsync<JsonElement>($"/api/v1/transactions?station={stationId}");
        var row = Assert.Single(transactions.GetProperty("items").EnumerateArray());
        Assert.Equal(750m, row.GetProperty("transaction").GetProperty("energyWh").GetDecimal());
    }
}
