using Csms.Gateway.Tests.Infrastructure;

namespace Csms.Gateway.Tests;

public sealed class Ocpp2SessionTests(GatewayAppFixture gateway) : IClassFixture<GatewayAppFixture>
{
    private static readonly object IdToken = new { idToken = "TAG-201", type = "ISO14443" };

    [Fact]
    public async Task A_whole_2_0_1_session_is_answered_and_the_api_shows_the_ended_transaction()
    {
        await using var station = await gateway.ConnectAsync("CP201-Session", "ocpp2.0.1");
        Assert.Equal("ocpp2.0.1", station.SubProtocol);

        var boot = (await station.CallAsync("BootNotification",
            new { reason = "PowerUp", chargingStation = new { model = "Model-2", vendorName = "TestVendor" } })).Result;
        Assert.Equal("Accepted", boot.GetProperty("status").GetString());

        var status = await station.CallAsync("StatusNotification",
            new { timestamp = "2026-01-01T10:00:00Z", connectorStatus = "Available", evseId = 1, connectorId = 1 });
        Assert.True(status.IsResult, status.Raw);

        var authorize = (await station.CallAsync("Authorize", new { idToken = IdToken })).Result;
        Assert.Equal("Accepted", authorize.GetProperty("idTokenInfo").GetProperty("status").GetString());

        var occupied = await station.CallAsync("StatusNotification",
            new { timestamp = "2026-01-01T10:00:30Z", connectorStatus = "Occupied", evseId = 1, connectorId = 1 });
        Assert.True(occupied.IsResult, occupied.Raw);

        var started = await station.CallAsync("TransactionEvent", TransactionEvent("Started", "Authorized", 0, "2026-01-01T10:01:00Z", 1000, "Charging", withIdToken: true));
        Assert.True(started.IsResult, started.Raw);
        Assert.Equal("Accepted", started.Result.GetProperty("idTokenInfo").GetProperty("status").GetString());

        var updated = await station.CallAsync("TransactionEvent", TransactionEvent("Updated", "MeterValuePeriodic", 1, "2026-01-01T10:16:00Z", 2500, "Charging"));
        Assert.True(updated.IsResult, updated.Raw);

        using (var during = await StationApi.GetAsync(gateway, "cp201-session"))
        {
            var active = StationApi.FindTransaction(during.RootElement, "tx-201");
            Assert.True(active.GetProperty("active").GetBoolean(), active.GetRawText());
        }

        var ended = await station.CallAsync("TransactionEvent",
            TransactionEvent("Ended", "StopAuthorized", 2, "2026-01-01T10:31:00Z", 4200, "Idle", stoppedReason: "Local"));
        Assert.True(ended.IsResult, ended.Raw);

        using var snapshot = await StationApi.GetAsync(gateway, "cp201-session");
        var root = snapshot.RootElement;
        Assert.Equal("Accepted", root.GetProperty("registration").GetString());
        var transaction = StationApi.FindTransaction(root, "tx-201");
        Assert.False(transaction.GetProperty("active").GetBoolean(), transaction.GetRawText());
        Assert.Equal(3200m, transaction.GetProperty("energyWh").GetDecimal());
        Assert.Equal("Occupied", StationApi.ConnectorStatus(root, evseId: 1, connectorId: 1));
    }

    [Fact]
    public async Task A_2_1_station_boots_and_its_heartbeat_is_answered()
    {
        await using var station = await gateway.ConnectAsync("CP21-Boot", "ocpp2.1");
        Assert.Equal("ocpp2.1", station.SubProtocol);

        var boot = (await station.CallAsync("BootNotification",
            new { reason = "PowerUp", chargingStation = new { model = "Model-21", vendorName = "TestVendor" } })).Result;
        Assert.Equal("Accepted", boot.GetProperty("status").GetString());

        var heartbeat = (await station.CallAsync("Heartbeat", new { })).Result;
        Assert.True(heartbeat.GetProperty("currentTime").GetDateTimeOffset() > DateTimeOffset.MinValue);

        using var snapshot = await StationApi.GetAsync(gateway, "cp21-boot");
        Assert.Equal("Accepted", snapshot.RootElement.GetProperty("registration").GetString());
    }

    private static object TransactionEvent(string eventType, string triggerReason, int seqNo, string timestamp, int energyWh,
        string chargingState, bool withIdToken = false, string? stoppedReason = null) => new Dictionary<string, object?>
        {
            ["eventType"] = eventType,
            ["timestamp"] = timestamp,
            ["triggerReason"] = triggerReason,
            ["seqNo"] = seqNo,
            ["transactionInfo"] = stoppedReason is null
                ? new { transactionId = "tx-201", chargingState }
                : new { transactionId = "tx-201", chargingState, stoppedReason },
            ["evse"] = new { id = 1, connectorId = 1 },
            ["idToken"] = withIdToken ? IdToken : null,
            ["meterValue"] = new[]
            {
                new
                {
                    timestamp,
                    sampledValue = new[] { new { value = energyWh, measurand = "Energy.Active.Import.Register", context = Context(eventType) } },
                },
            },
        }.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value);

    private static string Context(string eventType) => eventType switch
    {
        "Started" => "Transaction.Begin",
        "Ended" => "Transaction.End",
        _ => "Sample.Periodic",
    };
}
