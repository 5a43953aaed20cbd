using System.Net;
using System.Net.WebSockets;
using Csms.Gateway.Tests.Infrastructure;

namespace Csms.Gateway.Tests;

/// <summary>Subprotocol negotiation, station identity in the URL and duplicate connections.</summary>
public sealed class ConnectionTests(GatewayAppFixture gateway) : IClassFixture<GatewayAppFixture>
{
    [Fact]
    public async Task A_station_offering_no_subprotocol_is_accepted_without_one_then_closed_with_1002()
    {
        await using var station = await gateway.ConnectAsync("no-proto");

        Assert.Null(station.SubProtocol);
        Assert.Equal(WebSocketCloseStatus.ProtocolError, await station.WaitForCloseAsync());
    }

    [Fact]
    public async Task A_station_offering_only_an_unsupported_subprotocol_is_accepted_without_one_then_closed_with_1002()
    {
        await using var station = await gateway.ConnectAsync("old-proto", "ocpp1.5");

        Assert.Null(station.SubProtocol);
        Assert.Equal(WebSocketCloseStatus.ProtocolError, await station.WaitForCloseAsync());
    }

    [Fact]
    public async Task The_first_supported_subprotocol_the_station_offers_is_chosen()
    {
        await using var station = await gateway.ConnectAsync("two-protos", "ocpp2.0.1", "ocpp1.6");

        Assert.Equal("ocpp2.0.1", station.SubProtocol);
        var boot = await station.CallAsync("BootNotification",
            new { reason = "PowerUp", chargingStation = new { model = "Model-2", vendorName = "TestVendor" } });
        Assert.Equal("Accepted", boot.Result.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_second_connection_for_the_same_station_in_another_case_replaces_the_first_with_1008()
    {
        await using var first = await gateway.ConnectAsync("CP-7", "ocpp1.6");
        var boot = await first.CallAsync("BootNotification", new { chargePointVendor = "TestVendor", chargePointModel = "Model-1" });
        Assert.Equal("Accepted", boot.Result.GetProperty("status").GetString());

        await using var second = await gateway.ConnectAsync("cp-7", "ocpp1.6");

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await first.WaitForCloseAsync());
        var heartbeat = await second.CallAsync("Heartbeat", new { });
        Assert.True(heartbeat.IsResult, heartbeat.Raw);
        await Assert.ThrowsAnyAsync<Exception>(() => first.CallAsync("Heartbeat", new { }));
        using var snapshot = await StationApi.GetAsync(gateway, "cp-7");
        Assert.True(snapshot.RootElement.GetProperty("connection").GetProperty("connected").GetBoolean());
    }

    [Fact]
    public async Task A_station_that_closes_its_socket_is_shown_disconnected_and_is_found_in_any_case()
    {
        var station = await gateway.ConnectAsync("Leaving-1", "ocpp1.6");
        var boot = await station.CallAsync("BootNotification", new { chargePointVendor = "TestVendor", chargePointModel = "Model-1" });
        Assert.Equal("Accepted", boot.Result.GetProperty("status").GetString());

        await station.DisposeAsync();

        using var cap = new CancellationTokenSource(TestStation.Timeout);
        var connected = true;
        while (connected && !cap.IsCancellationRequested)
        {
            using var snapshot = await StationApi.GetAsync(gateway, "LEAVING-1");
            connected = snapshot.RootElement.GetProperty("connection").GetProperty("connected").GetBoolean();
            if (connected)
            {
                await Task.Delay(50, CancellationToken.None);
            }
        }
        Assert.False(connected, $"the API still shows leaving-1 connected {TestStation.Timeout.TotalSeconds} s after its socket closed");
    }

    [Theory]
    [InlineData("A123456789B123456789C123456789D123456789E12345678")]
    [InlineData("CP%3A1")]
    [InlineData("CP%2F1")]
    public async Task An_invalid_identity_is_refused_with_400_before_the_upgrade(string encodedIdentity)
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp1.6");
        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(TestStation.Timeout);

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri(gateway.WebSocketBase, "ocpp/" + encodedIdentity), timeout.Token));

        Assert.Equal(HttpStatusCode.BadRequest, socket.HttpStatusCode);
    }

    [Fact]
    public async Task An_invalid_identity_is_described_as_problem_json()
    {
        using var response = await gateway.Http.GetAsync(new Uri("ocpp/CP%3A1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_48_character_identity_is_still_accepted()
    {
        await using var station = await gateway.ConnectAsync(new string('L', 48), "ocpp1.6");

        var boot = await station.CallAsync("BootNotification", new { chargePointVendor = "TestVendor", chargePointModel = "Model-1" });
        Assert.True(boot.IsResult, boot.Raw);
    }

    [Fact]
    public async Task A_percent_encoded_space_in_the_identity_is_accepted()
    {
        await using var station = await gateway.ConnectAsync("RDAM%20123", "ocpp1.6");

        var boot = await station.CallAsync("BootNotification", new { chargePointVendor = "TestVendor", chargePointModel = "Model-1" });
        Assert.Equal("Accepted", boot.Result.GetProperty("status").GetString());
        using var snapshot = await StationApi.GetAsync(gateway, "rdam 123");
        Assert.Equal("rdam 123", snapshot.RootElement.GetProperty("stationId").GetString());
    }

    [Fact]
    public async Task A_plain_http_get_on_the_ocpp_endpoint_is_426_upgrade_required()
    {
        using var response = await gateway.Http.GetAsync(new Uri("ocpp/CP1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
    }
}
