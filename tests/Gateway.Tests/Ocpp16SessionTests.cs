using System.Text.Json;
using Csms.Gateway.Tests.Infrastructure;

namespace Csms.Gateway.Tests;

public sealed class Ocpp16SessionTests(GatewayAppFixture gateway) : IClassFixture<GatewayAppFixture>
{
    [Fact]
    public async Task A_whole_1_6_session_is_answered_and_the_api_shows_the_completed_transaction()
    {
        await using var station = await gateway.ConnectAsync("CP16-Session", "ocpp1.6");
        Assert.Equal("ocpp1.6", station.SubProtocol);

        var boot = (await station.CallAsync("BootNotification", new { chargePointVendor = "TestVendor", chargePointModel = "Model-1" })).Result;
        Assert.Equal("Accepted", boot.GetProperty("status").GetString());
        Assert.True(boot.GetProperty("interval").GetInt32() > 0);

        var status = await station.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Available" });
        Assert.True(status.IsResult, status.Raw);

        var authorize = (await station.CallAsync("Authorize", new { idTag = "TAG-16" })).Result;
        Assert.Equal("Accepted", authorize.GetProperty("idTagInfo").GetProperty("status").GetString());

        var start = (await station.CallAsync("StartTransaction",
            new { connectorId = 1, idTag = "TAG-16", meterStart = 1000, timestamp = "2026-01-01T10:00:00Z" })).Result;
        Assert.Equal("Accepted", start.GetProperty("idTagInfo").GetProperty("status").GetString());
        var transactionId = start.GetProperty("transactionId").GetInt32();

        var meter = await station.CallAsync("MeterValues", new
        {
            connectorId = 1,
            transactionId,
            meterValue = new[]
            {
                new
                {
                    timestamp = "2026-01-01T10:15:00Z",
                    sampledValue = new[] { new { value = "2200", measurand = "Energy.Active.Import.Register", unit = "Wh" } },
                },
            },
        });
        Assert.True(meter.IsResult, meter.Raw);

        var stop = await station.CallAsync("StopTransaction",
            new { transactionId, meterStop = 3500, timestamp = "2026-01-01T10:30:00Z", reason = "Local", idTag = "TAG-16" });
        Assert.True(stop.IsResult, stop.Raw);

        var finishing = await station.CallAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Finishing" });
        Assert.True(finishing.IsResult, finishing.Raw);

        using var snapshot = await StationApi.GetAsync(gateway, "cp16-session");
        var root = snapshot.RootElement;
        Assert.Equal("Accepted", root.GetProperty("registration").GetString());
        var transaction = StationApi.FindTransaction(root, transactionId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(transaction.GetProperty("active").GetBoolean());
        Assert.Equal(2500m, transaction.GetProperty("energyWh").GetDecimal());
        Assert.Equal("Finishing", StationApi.ConnectorStatus(root, evseId: 1, connectorId: 1));
    }
}
