using System.Net.WebSockets;
using System.Text;
using Csms.Gateway.Tests.Infrastructure;

namespace Csms.Gateway.Tests.Security;

/// <summary>RFC 7692 permessage-deflate: OCPP works compressed, and the message limit holds after inflation.</summary>
public sealed class CompressionTests(GatewayAppFixture gateway) : IClassFixture<GatewayAppFixture>
{
    [Fact]
    public async Task A_compressed_session_works_and_a_compression_bomb_is_closed_at_the_message_limit()
    {
        using (var socket = await Compressed($"zip-{Guid.NewGuid():N}"[..16]))
        {
            Assert.NotNull(socket.SubProtocol);
            var extensions = socket.HttpResponseHeaders!.First(h => string.Equals(h.Key, "Sec-WebSocket-Extensions", StringComparison.OrdinalIgnoreCase));
            Assert.Contains("permessage-deflate", string.Join(",", extensions.Value), StringComparison.Ordinal);
            await Send(socket, """[2,"m-1","BootNotification",{"chargePointVendor":"Acme","chargePointModel":"One"}]""");
            var answer = await Receive(socket);
            Assert.StartsWith("[3,\"m-1\"", answer, StringComparison.Ordinal);
        }

        // 8 MB of the same byte: a few kB on the wire, 64 times the 128 kB limit once inflated
        using (var bomb = await Compressed($"zip-{Guid.NewGuid():N}"[..16]))
        {
            var payload = "[2,\"m-2\",\"DataTransfer\",{\"vendorId\":\"" + new string('A', 8 * 1024 * 1024) + "\"}]";
            try
            {
                await Send(bomb, payload);
            }
            catch (WebSocketException)
            {
                // the server may already have closed while we were still sending
            }
            var closed = await ReceiveClose(bomb);
            Assert.Equal(WebSocketCloseStatus.MessageTooBig, closed);
        }

        // and the next connection works
        using var next = await Compressed($"zip-{Guid.NewGuid():N}"[..16]);
        await Send(next, """[2,"m-3","BootNotification",{"chargePointVendor":"Acme","chargePointModel":"One"}]""");
        Assert.StartsWith("[3,\"m-3\"", await Receive(next), StringComparison.Ordinal);
    }

    private async Task<ClientWebSocket> Compressed(string id)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp1.6");
        socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(new Uri(gateway.WebSocketBase, "ocpp/" + id), timeout.Token);
        return socket;
    }

    private static async Task Send(ClientWebSocket socket, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, WebSocketMessageFlags.EndOfMessage, timeout.Token);
    }

    private static async Task<string> Receive(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            if (result.EndOfMessage)
            {
                return text.ToString();
            }
        }
    }

    private static async Task<WebSocketCloseStatus?> ReceiveClose(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return result.CloseStatus;
                }
            }
        }
        catch (WebSocketException)
        {
            return socket.CloseStatus;
        }
    }
}
