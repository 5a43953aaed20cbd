using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

// The machine's echo ceiling: the cheapest server the load tester's virtual stations can run their scenarios against,
// so the CSMS's figures can be read against what Kestrel and WebSockets alone cost here. It cannot be a literal byte
// echo: a station's CALL sent back unchanged would reach the station as a CSMS-initiated CALL, and the station's own
// CALL would never be answered. So every CALL gets a canned CALLRESULT for its action; only the message id and the
// action are read, nothing is validated, nothing is kept, and it never calls the station.

var builder = WebApplication.CreateSlimBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:8090");
}
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();
// the same ping interval as the gateway's default, so both servers do the same keep-alive work
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });

string[] subprotocols = ["ocpp1.6", "ocpp2.0.1", "ocpp2.1"];
using var clock = new Timer(_ => CannedReplies.Refresh(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

app.MapGet("/readyz", () => "ready");
app.Map("/ocpp/{**id}", async (HttpContext context) =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
        return;
    }
    var subprotocol = context.WebSockets.WebSocketRequestedProtocols.FirstOrDefault(subprotocols.Contains);
    using var socket = await context.WebSockets.AcceptWebSocketAsync(subprotocol);
    try
    {
        if (subprotocol is null)
        {
            await socket.CloseAsync(WebSocketCloseStatus.ProtocolError, "offer ocpp1.6, ocpp2.0.1 or ocpp2.1", context.RequestAborted);
            return;
        }
        await AnswerCallsAsync(socket, subprotocol == "ocpp1.6", context.RequestAborted);
    }
    catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
    {
        // the station dropped the connection (the storm scenario does so on purpose)
    }
});

app.Run();

static async Task AnswerCallsAsync(WebSocket socket, bool v16, CancellationToken cancellationToken)
{
    var frame = new ArrayBufferWriter<byte>(4096);
    var reply = new ArrayBufferWriter<byte>(512);
    while (true)
    {
        var result = await socket.ReceiveAsync(frame.GetMemory(4096), cancellationToken);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
            return;
        }
        frame.Advance(result.Count);
        if (!result.EndOfMessage)
        {
            continue;
        }
        if (result.MessageType == WebSocketMessageType.Text && TryAnswer(frame.WrittenSpan, v16, reply))
        {
            await socket.SendAsync(reply.WrittenMemory, WebSocketMessageType.Text, true, cancellationToken);
        }
        frame.ResetWrittenCount();
        reply.ResetWrittenCount();
    }
}

// [2,"<id>","<Action>",{...}] → [3,"<id>",<canned payload>]; CALLRESULTs, CALLERRORs and anything unreadable get nothing
static bool TryAnswer(ReadOnlySpan<byte> frame, bool v16, ArrayBufferWriter<byte> reply)
{
    var reader = new Utf8JsonReader(frame);
    try
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray
            || !reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var type) || type != 2
            || !reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            return false;
        }
        // the id as it was written, escapes included, so it goes back byte for byte
        var messageId = reader.ValueSpan;
        if (!reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            return false;
        }
        reply.Write("[3,\""u8);
        reply.Write(messageId);
        reply.Write("\","u8);
        reply.Write(CannedReplies.For(v16, reader.ValueSpan));
        return true;
    }
    catch (JsonException)
    {
        return false;
    }
}

/// <summary>CALLRESULT payloads (with the closing bracket) by action, for 1.6 and for 2.x.</summary>
internal static class CannedReplies
{
    private static readonly byte[] Empty = "{}]"u8.ToArray();
    private static (byte[] Action, byte[] Reply)[][] _tables = Build();

    public static ReadOnlySpan<byte> For(bool v16, ReadOnlySpan<byte> action)
    {
        foreach (var (name, reply) in Volatile.Read(ref _tables)[v16 ? 0 : 1])
        {
            if (action.SequenceEqual(name))
            {
                return reply;
            }
        }
        return Empty;
    }

    /// <summary>Two answers carry the current time: rebuilding the tables once a second keeps it cheap and close enough.</summary>
    public static void Refresh() => Volatile.Write(ref _tables, Build());

    private static (byte[], byte[])[][] Build()
    {
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        (string, string)[] both =
        [
            ("BootNotification", $$"""{"status":"Accepted","currentTime":"{{now}}","interval":300}"""),
            ("Heartbeat", $$"""{"currentTime":"{{now}}"}"""),
        ];
        (string, string)[] v16 =
        [
            ("StartTransaction", """{"transactionId":1,"idTagInfo":{"status":"Accepted"}}"""),
            ("Authorize", """{"idTagInfo":{"status":"Accepted"}}"""),
            ("StopTransaction", """{"idTagInfo":{"status":"Accepted"}}"""),
        ];
        (string, string)[] v2 = [("Authorize", """{"idTokenInfo":{"status":"Accepted"}}""")];
        return [Encode([.. both, .. v16]), Encode([.. both, .. v2])];
    }

    private static (byte[], byte[])[] Encode((string Action, string Payload)[] replies) =>
        [.. replies.Select(r => (Encoding.UTF8.GetBytes(r.Action), Encoding.UTF8.GetBytes(r.Payload + "]")))];
}
