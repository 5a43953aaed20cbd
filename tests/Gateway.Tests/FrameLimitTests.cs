using System.Net.WebSockets;
using System.Text;
using Csms.Gateway.Tests.Infrastructure;

namespace Csms.Gateway.Tests;

/// <summary>Frames the gateway refuses to read: too big for <c>Gateway:MaxMessageBytes</c>, or binary.</summary>
public sealed class FrameLimitTests(SmallFrameGatewayFixture gateway) : IClassFixture<SmallFrameGatewayFixture>
{
    [Fact]
    public async Task A_frame_within_the_configured_limit_is_answered()
    {
        await using var station = await gateway.ConnectAsync("limit-ok", "ocpp1.6");
        var boot = await station.CallAsync("BootNotification",
            new { chargePointVendor = "TestVendor", chargePointModel = "Model-1" });
        Assert.True(boot.IsResult, boot.Raw);

        var answer = await station.CallAsync("DataTransfer", new { vendorId = "TestVendor", data = new string('d', SmallFrameGatewayFixture.MaxMessageBytes / 2) });

        Assert.True(answer.IsResult, answer.Raw);
        Assert.Equal(WebSocketState.Open, station.State);
    }

    [Fact]
    public async Task A_frame_over_the_configured_limit_closes_the_connection_with_1009()
    {
        await using var station = await gateway.ConnectAsync("limit-over", "ocpp1.6");

        var frame = $$"""[2,"big-1","DataTransfer",{"vendorId":"TestVendor","data":"{{new string('d', SmallFrameGatewayFixture.MaxMessageBytes + 1)}}"}]""";
        await station.SendTextAsync(frame);

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await station.WaitForCloseAsync());
    }

    [Fact]
    public async Task A_binary_frame_closes_the_connection_with_1003()
    {
        await using var station = await gateway.ConnectAsync("binary", "ocpp1.6");

        await station.SendBinaryAsync(Encoding.UTF8.GetBytes("""[2,"bin-1","Heartbeat",{}]"""));

        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, await station.WaitForCloseAsync());
    }
}
