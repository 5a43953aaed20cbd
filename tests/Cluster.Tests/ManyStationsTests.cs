using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Csms.Cluster.Tests;

[Collection(PostgresCollection.Name)]
public sealed class ManyStationsTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const int Stations = 200;
    private const int TransactionsPerStation = 3;
    private const int MeterValuesPerTransaction = 3;

    [Fact]
    public async Task Hundreds_of_stations_through_two_gateways_lose_and_duplicate_nothing_while_a_silo_restarts()
    {
        await using var cluster = new LocalCluster(await postgres.Server.CreateDatabaseAsync());
        await cluster.StartSiloAsync("silo-1");
        await cluster.StartSiloAsync("silo-2");
        ClusterProcess[] gateways = [await cluster.StartGatewayAsync("gateway-1"), await cluster.StartGatewayAsync("gateway-2")];
        var prefix = $"load-{Guid.NewGuid():N}"[..10];
        var progress = 0;

        var running = Enumerable.Range(0, Stations)
            .Select(i => Task.Run(() => new SimulatedStation($"{prefix}-{i}", gateways, i).RunAsync(() => Interlocked.Increment(ref progress))))
            .ToArray();

        // restart one silo (SIGTERM, then a new process) once a third of the work is done
        var total = Stations * TransactionsPerStation;
        await WaitUntil(() => Volatile.Read(ref progress) >= total / 3 || running.All(t => t.IsCompleted));
        var doneAtRestart = Volatile.Read(ref progress);
        await cluster.SiloHosting(await AnyHost(gateways[0], prefix)).StopAsync();
        await cluster.StartSiloAsync("silo-3");
        var retries = (await Task.WhenAll(running)).Sum();
        output.WriteLine($"{Stations} stations, {total} transactions, restart after {doneAtRestart}, {retries} retried message(s)");
        Assert.True(doneAtRestart < total, "the silo restarted only after all the work was done; the test proves nothing");

        Assert.Equal((long)total, await cluster.ScalarAsync<long>(
            "SELECT count(*) FROM csms_transactions WHERE station_id LIKE @p", ("p", prefix + "-%")));
        // each row: the start, every meter value and the stop exactly once, and the energy of the last reading
        Assert.Equal(0L, await cluster.ScalarAsync<long>(
            "SELECT count(*) FROM csms_transactions WHERE station_id LIKE @p AND (events_received <> @events OR energy_wh <> @energy)",
            ("p", prefix + "-%"), ("events", MeterValuesPerTransaction + 2), ("energy", (decimal)(MeterValuesPerTransaction * 100))));
    }

    /// <summary>The silo holding the first station: restarting it certainly moves live stations.</summary>
    private static async Task<string> AnyHost(ClusterProcess gateway, string prefix)
    {
        var snapshot = await gateway.StationSnapshotAsync($"{prefix}-0");
        return snapshot.GetProperty("hostedBy").GetString()!;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (!condition())
        {
            await Task.Delay(100, limit.Token);
        }
    }

    /// <summary>
    /// A 1.6 station as real ones behave: a message that gets no answer is re-sent with the same message id (after a
    /// reconnect if the socket dropped, to whichever gateway answers), a CALLERROR is retried after a pause.
    /// </summary>
    private sealed class SimulatedStation(string id, ClusterProcess[] gateways, int index)
    {
        private TestStation? _socket;
        private int _gateway = index % gateways.Length;
        private int _messages;
        private int _retries;

        public async Task<int> RunAsync(Action transactionDone)
        {
            try
            {
                await Call("BootNotification", new JsonObject { ["chargePointVendor"] = "Acme", ["chargePointModel"] = "Load" });
                for (var t = 0; t < TransactionsPerStation; t++)
                {
                    var start = await Call("StartTransaction", new JsonObject
                    {
                        ["connectorId"] = 1, ["idTag"] = "TAG", ["meterStart"] = 0, ["timestamp"] = Now(),
                    });
                    var transactionId = start.GetProperty("transactionId").GetInt32();
                    for (var m = 1; m <= MeterValuesPerTransaction; m++)
                    {
                        await Call("MeterValues", new JsonObject
                        {
                            ["connectorId"] = 1,
                            ["transactionId"] = transactionId,
                            ["meterValue"] = new JsonArray(new JsonObject
                            {
                                ["timestamp"] = Now(),
                                ["sampledValue"] = new JsonArray(new JsonObject { ["value"] = (m * 100).ToString(CultureInfo.InvariantCulture) }),
                            }),
                        });
                    }
                    await Call("StopTransaction", new JsonObject
                    {
                        ["transactionId"] = transactionId, ["meterStop"] = MeterValuesPerTransaction * 100, ["timestamp"] = Now(),
                    });
                    transactionDone();
                }
                return _retries;
            }
            finally
            {
                if (_socket is not null)
                {
                    await _socket.DisposeAsync();
                }
            }
        }

        private async Task<JsonElement> Call(string action, JsonObject payload)
        {
            var messageId = $"{id}-{++_messages}";
            var frame = new JsonArray(2, messageId, action, payload).ToJsonString();
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (true)
            {
                try
                {
                    _socket ??= await TestStation.ConnectAsync(new Uri($"ws://127.0.0.1:{gateways[_gateway].Http.Port}/ocpp/{id}"), "ocpp1.6");
                    var answer = await _socket.SendRawAsync(frame, messageId);
                    if (answer.IsResult)
                    {
                        return answer.Result;
                    }
                }
                catch (Exception ex) when (ex is WebSocketException or InvalidOperationException or TimeoutException or OperationCanceledException)
                {
                    if (_socket is not null)
                    {
                        await _socket.DisposeAsync();
                    }
                    _socket = null;
                    _gateway = (_gateway + 1) % gateways.Length;
                }
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"{id}: {action} not answered within 2 minutes");
                }
                _retries++;
                await Task.Delay(300);
            }
        }

        private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }
}
