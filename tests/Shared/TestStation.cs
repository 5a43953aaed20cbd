using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Csms.Tests.Shared;

/// <summary>A CALLRESULT (<c>[3, id, payload]</c>) or CALLERROR (<c>[4, id, code, description, details]</c>) from the CSMS.</summary>
public sealed record OcppAnswer(int MessageType, string MessageId, JsonElement Payload, string? ErrorCode, string? ErrorDescription, string Raw)
{
    public bool IsResult => MessageType == 3;

    public bool IsError => MessageType == 4;

    /// <summary>The CALLRESULT payload; fails the test with the raw frame when the CSMS answered with an error.</summary>
    public JsonElement Result => IsResult ? Payload : throw new InvalidOperationException($"expected a CALLRESULT, got {Raw}");
}

/// <summary>A CSMS-initiated CALL that reached the test station.</summary>
public sealed record IncomingCall(string MessageId, string Action, JsonElement Payload);

/// <summary>
/// A minimal OCPP-J station on a real <see cref="ClientWebSocket"/>: sends CALLs and awaits the answer with the same
/// message id, receives CSMS-initiated CALLs, answers them, and records how the server closed the socket.
/// Every wait is bounded by <see cref="Timeout"/> and fails with a message that says what was awaited.
/// </summary>
public sealed class TestStation : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<OcppAnswer>> _pending = new(StringComparer.Ordinal);
    private readonly Channel<IncomingCall> _calls = Channel.CreateUnbounded<IncomingCall>();
    private readonly Channel<string> _frames = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private int _nextId;

    private TestStation(ClientWebSocket socket)
    {
        _socket = socket;
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>The subprotocol the server chose, or null when it chose none.</summary>
    public string? SubProtocol => _socket.SubProtocol;

    public WebSocketState State => _socket.State;

    /// <summary>Frames that were neither answers nor CALLs (kept for failure messages).</summary>
    public ConcurrentQueue<string> Unexpected { get; } = new();

    public static async Task<TestStation> ConnectAsync(Uri uri, params string[] subprotocols)
    {
        var socket = new ClientWebSocket();
        foreach (var protocol in subprotocols)
        {
            socket.Options.AddSubProtocol(protocol);
        }
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new TestStation(socket);
    }

    /// <summary>
    /// Connects with request headers set by <paramref name="configure"/> (e.g. Authorization), from
    /// <paramref name="localAddress"/> when given (another loopback address, to act as another host). Refused
    /// upgrades throw <see cref="UpgradeRefusedException"/> with the HTTP status and headers.
    /// </summary>
    public static Task<TestStation> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure, System.Net.IPAddress? localAddress,
        params string[] subprotocols) => ConnectAsync(uri, configure, localAddress, null, subprotocols);

    /// <summary>As above, with the HTTP handler's TLS options (<paramref name="handler"/>) under the test's control.</summary>
    public static async Task<TestStation> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure, System.Net.IPAddress? localAddress,
        Action<SocketsHttpHandler>? handler, params string[] subprotocols)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var protocol in subprotocols)
        {
            socket.Options.AddSubProtocol(protocol);
        }
        configure?.Invoke(socket.Options);
        using var timeout = new CancellationTokenSource(Timeout);
        SocketsHttpHandler? sockets = null;
        if (localAddress is not null || handler is not null)
        {
            sockets = new SocketsHttpHandler();
            if (localAddress is not null)
            {
                sockets.ConnectCallback = async (context, token) =>
                {
                    var s = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                    try
                    {
                        s.Bind(new System.Net.IPEndPoint(localAddress, 0));
                        await s.ConnectAsync(context.DnsEndPoint, token);
                        return new System.Net.Sockets.NetworkStream(s, ownsSocket: true);
                    }
                    catch
                    {
                        s.Dispose();
                        throw;
                    }
                };
            }
            handler?.Invoke(sockets);
        }
        using var invoker = sockets is null ? null : new HttpMessageInvoker(sockets);
        try
        {
            await (invoker is null ? socket.ConnectAsync(uri, timeout.Token) : socket.ConnectAsync(uri, invoker, timeout.Token));
        }
        catch (WebSocketException ex) when (socket.HttpStatusCode != 0)
        {
            var refused = new UpgradeRefusedException(socket.HttpStatusCode, socket.HttpResponseHeaders, ex);
            socket.Dispose();
            throw refused;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new TestStation(socket);
    }

    public string NextMessageId() => "m-" + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Sends <c>[2, id, action, payload]</c> and awaits the answer with that id.</summary>
    public Task<OcppAnswer> CallAsync(string action, object payload)
    {
        var id = NextMessageId();
        var frame = new JsonArray(2, id, action, JsonSerializer.SerializeToNode(payload)).ToJsonString();
        return SendRawAsync(frame, id);
    }

    /// <summary>Sends a raw text frame and awaits the answer carrying <paramref name="answerId"/> (e.g. "-1" for unreadable frames).</summary>
    public async Task<OcppAnswer> SendRawAsync(string text, string answerId)
    {
        var waiter = new TaskCompletionSource<OcppAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(answerId, waiter))
        {
            throw new InvalidOperationException($"an answer with id '{answerId}' is already awaited");
        }
        try
        {
            await SendTextAsync(text);
            return await Bounded(waiter.Task, $"the answer with id '{answerId}' to {Shorten(text)}");
        }
        finally
        {
            _pending.TryRemove(answerId, out _);
        }
    }

    public async Task SendTextAsync(string text) => await SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    /// <summary>Sends <paramref name="utf8"/> as one text frame exactly as given, valid UTF-8 or not (the client does not check).</summary>
    public async Task SendTextAsync(byte[] utf8) => await SendAsync(utf8, WebSocketMessageType.Text);

    public async Task SendBinaryAsync(byte[] bytes) => await SendAsync(bytes, WebSocketMessageType.Binary);

    /// <summary>
    /// The next text frame from the CSMS, whatever it is, in the order frames arrived (they are also dispatched as usual);
    /// null once the socket has closed and every frame has been read.
    /// </summary>
    public async Task<string?> ReceiveFrameAsync(TimeSpan timeout)
    {
        using var waiting = new CancellationTokenSource(timeout);
        try
        {
            return await _frames.Reader.WaitToReadAsync(waiting.Token) && _frames.Reader.TryRead(out var frame) ? frame : null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no frame from the CSMS within {timeout.TotalSeconds} s");
        }
    }

    /// <summary>The next CSMS-initiated CALL.</summary>
    public async Task<IncomingCall> ReceiveCallAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            return await _calls.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no CALL from the CSMS within {Timeout.TotalSeconds} s{DescribeUnexpected()}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"the socket closed ({_closed.Task.Result}) before the CSMS sent a CALL");
        }
    }

    /// <summary>Answers a CSMS-initiated CALL with <c>[3, id, payload]</c>.</summary>
    public Task AnswerAsync(IncomingCall call, object payload) =>
        SendTextAsync(new JsonArray(3, call.MessageId, JsonSerializer.SerializeToNode(payload)).ToJsonString());

    /// <summary>Waits for the server to close the socket; the close status it sent, or null if the connection just dropped.</summary>
    public Task<WebSocketCloseStatus?> WaitForCloseAsync() => Bounded(_closed.Task, "the server to close the socket");

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "test done", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // already going away
            }
        }
        await Task.WhenAny(_receiving, Task.Delay(TimeSpan.FromSeconds(5)));
        await _stop.CancelAsync();
        _socket.Abort();
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }

    private async Task SendAsync(byte[] bytes, WebSocketMessageType type)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await _sendLock.WaitAsync(timeout.Token);
        try
        {
            await _socket.SendAsync(bytes, type, endOfMessage: true, timeout.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult(result.CloseStatus);
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "ok", timeout.Token);
                    }
                    return;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }
                var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                _frames.Writer.TryWrite(text);
                Dispatch(text);
                message.SetLength(0);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _closed.TrySetResult(null);
        }
        finally
        {
            _calls.Writer.TryComplete();
            _frames.Writer.TryComplete();
            foreach (var waiter in _pending.Values)
            {
                waiter.TrySetException(new InvalidOperationException("the socket closed before the answer arrived"));
            }
        }
    }

    private void Dispatch(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement.Clone();
            var type = root[0].GetInt32();
            var id = root[1].GetString() ?? "";
            switch (type)
            {
                case 2:
                    _calls.Writer.TryWrite(new IncomingCall(id, root[2].GetString()!, root[3]));
                    return;
                case 3 when _pending.TryGetValue(id, out var resultWaiter):
                    resultWaiter.TrySetResult(new OcppAnswer(3, id, root[2], null, null, text));
                    return;
                case 4 when _pending.TryGetValue(id, out var errorWaiter):
                    errorWaiter.TrySetResult(new OcppAnswer(4, id, root[4], root[2].GetString(), root[3].GetString(), text));
                    return;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or IndexOutOfRangeException or FormatException)
        {
            // falls through: kept as unexpected
        }
        Unexpected.Enqueue(text);
    }

    private async Task<T> Bounded<T>(Task<T> task, string what)
    {
        var finished = await Task.WhenAny(task, Task.Delay(Timeout));
        if (finished != task)
        {
            throw new TimeoutException($"waited {Timeout.TotalSeconds} s for {what} in vain{DescribeUnexpected()}");
        }
        return await task;
    }

    private string DescribeUnexpected() => Unexpected.IsEmpty ? "" : $"; unexpected frames: {string.Join(" | ", Unexpected)}";

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "…";
}

/// <summary>The server answered the upgrade with an HTTP status instead of 101.</summary>
public sealed class UpgradeRefusedException(System.Net.HttpStatusCode status, IReadOnlyDictionary<string, IEnumerable<string>>? headers, Exception inner)
    : Exception($"the upgrade was refused with {(int)status}", inner)
{
    public System.Net.HttpStatusCode Status { get; } = status;

    public IReadOnlyDictionary<string, IEnumerable<string>> Headers { get; } = headers ?? new Dictionary<string, IEnumerable<string>>();

    public string? Header(string name) => Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
}
