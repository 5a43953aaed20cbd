using System.Net.WebSockets;
using Csms.Gateway.Tests.Infrastructure;

namespace Csms.Gateway.Tests;

public class DrainTests(DrainingGatewayFixture gateway) : IClassFixture<DrainingGatewayFixture>
{
    [Fact]
    public async Task Stopping_the_gateway_closes_every_station_socket_with_going_away_so_they_reconnect_elsewhere()
    {
        var stations = new List<TestStation>();
        for (var i = 0; i < 3; i++)
        {
            var station = await gateway.ConnectAsync($"drain-{i}-{Guid.NewGuid():N}"[..20], "ocpp1.6");
            Assert.True((await station.CallAsync("BootNotification", new { chargePointVendor = "Acme", chargePointModel = "One" })).IsResult);
            stations.Add(station);
        }

        var stopping = gateway.App.StopAsync();

        foreach (var station in stations)
        {
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await station.WaitForCloseAsync());
            await station.DisposeAsync();
        }
        await stopping;
    }
}
