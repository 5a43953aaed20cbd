using System.Net;
using System.Net.Sockets;
using System.Text;
using Csms.Gateway.Tests.Infrastructure;

namespace Csms.Gateway.Tests.Security;

/// <summary>A gateway that holds at most three station sockets and lets idle upgrade requests wait one second.</summary>
public sealed class SmallGatewayFixture : GatewayAppFixture
{
    protected override IEnumerable<string> ExtraArgs => ["--Gateway:MaxConnections=3", "--Gateway:RequestHeadersTimeoutSeconds=1"];
}

/// <summary>A gateway that takes two new connections per second.</summary>
public sealed class SlowUpgradeGatewayFixture : GatewayAppFixture
{
    protected override IEnumerable<string> ExtraArgs => ["--Gateway:MaxUpgradesPerSecond=2"];
}

public sealed class ConnectionLimitTests(SmallGatewayFixture gateway) : IClassFixture<SmallGatewayFixture>
{
    [Fact]
    public async Task Beyond_its_maximum_a_gateway_answers_503_and_takes_the_station_again_once_a_socket_is_free()
    {
        var stations = new List<TestStation>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                stations.Add(await gateway.ConnectAsync($"max-{i}-{Guid.NewGuid():N}"[..16], "ocpp1.6"));
            }
            var id = $"max-x-{Guid.NewGuid():N}"[..16];
            var refused = await Assert.ThrowsAsync<UpgradeRefusedException>(() =>
                TestStation.ConnectAsync(new Uri(gateway.WebSocketBase, "ocpp/" + id), configure: null, localAddress: null, "ocpp1.6"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
            Assert.Equal("1", refused.Header("Retry-After"));

            await stations[0].DisposeAsync();
            stations.RemoveAt(0);
            // once the gateway has let go of the closed socket, the station gets in
            var admitted = await ApiJsonPoll.UntilConnected(() => TestStation.ConnectAsync(new Uri(gateway.WebSocketBase, "ocpp/" + id), configure: null, localAddress: null, "ocpp1.6"));
            stations.Add(admitted);
        }
        finally
        {
            foreach (var station in stations)
            {
                await station.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task An_upgrade_request_whose_headers_never_finish_is_disconnected()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, gateway.HttpBase.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /ocpp/slow HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"));
        // no end of headers: the gateway closes the connection after Gateway:RequestHeadersTimeoutSeconds (1 s here)
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(15)); // below Kestrel's own 30 s default, so only our setting passes
        var buffer = new byte[1024];
        int read;
        try
        {
            while ((read = await stream.ReadAsync(buffer, guard.Token)) > 0)
            {
                // Kestrel may answer 408 before closing; what matters is that it closes
            }
        }
        catch (IOException)
        {
            read = 0; // reset: closed as well
        }
        Assert.Equal(0, read);
    }
}

public sealed class UpgradeRateTests(SlowUpgradeGatewayFixture gateway) : IClassFixture<SlowUpgradeGatewayFixture>
{
    [Fact]
    public async Task A_burst_of_upgrades_beyond_the_rate_is_answered_503_and_the_rest_get_in()
    {
        var attempts = Enumerable.Range(0, 30).Select(async i =>
        {
            try
            {
                return (Station: await TestStation.ConnectAsync(new Uri(gateway.WebSocketBase, $"ocpp/rate-{i}-{Guid.NewGuid():N}"[..30]), configure: null, localAddress: null, "ocpp1.6"),
                    Status: HttpStatusCode.SwitchingProtocols);
            }
            catch (UpgradeRefusedException refused)
            {
                return (Station: (TestStation?)null, refused.Status);
            }
        }).ToArray();
        var results = await Task.WhenAll(attempts);
        foreach (var (station, _) in results)
        {
            if (station is not null)
            {
                await station.DisposeAsync();
            }
        }
        Assert.Contains(results, r => r.Status == HttpStatusCode.SwitchingProtocols);
        Assert.Contains(results, r => r.Status == HttpStatusCode.ServiceUnavailable);
        Assert.All(results, r => Assert.True(r.Status is HttpStatusCode.SwitchingProtocols or HttpStatusCode.ServiceUnavailable, r.Status.ToString()));
    }
}

/// <summary>Retries a connect that is refused while the gateway catches up.</summary>
internal static class ApiJsonPoll
{
    public static async Task<TestStation> UntilConnected(Func<Task<TestStation>> connect)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await connect();
            }
            catch (UpgradeRefusedException) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }
}
