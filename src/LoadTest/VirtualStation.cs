using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Csms.Ocpp;
using Csms.Ocpp.Framing;

namespace Csms.LoadTest;

/// <summary>
/// One simulated charging station with one EVSE and one connector. It boots (honouring Pending/Rejected and the interval
/// it is given), reports status, heartbeats, charges with meter values within the limit its charging profiles allow,
/// answers the CSMS's calls, reconnects with randomised back-off, and keeps its transaction messages queued while it is
/// offline and replays them in order once it is back. Everything is async: thousands share a few threads.
/// </summary>
/// <remarks>
/// The station's life (its meter, its charging session, its queue, its settings) outlives any one connection: a
/// dropped connection only pauses the sending. Like a real station it has one CALL outstanding at a time (OCPP-J 4.1.1).
/// </remarks>
public sealed partial class VirtualStation
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly string _id;
    private readonly OcppVersion _version;
    private readonly LoadOptions _options;
    private readonly LoadStats _stats;
    private readonly bool _charges;
    private readonly StationConfiguration _config;
    private readonly ChargingLimits _limits = new();
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _callLock = new(1, 1);
    private TaskCompletionSource<Link> _online = NewOnline();
    private Link? _link;
    private long _nextId;
    private bool _accepted;
    private string? _rebootReason = "PowerUp";
    private int _awaitingStormReboot;
    private long _offlineUntil;
    private TaskCompletionSource _bootNow = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public VirtualStation(string id, OcppVersion version, LoadOptions options, LoadStats stats, bool charges)
    {
        _id = id;
        _version = version;
        _options = options;
        _stats = stats;
        _charges = charges;
        _config = new StationConfiguration(version, options.HeartbeatSeconds > 0 ? options.HeartbeatSeconds : 300, options.MeterIntervalSeconds);
    }

    public string Id => _id;

    public OcppVersion Version => _version;

    /// <summary>Accepted by the CSMS and connected now.</summary>
    public bool IsOnline => OnlineLink is not null;

    /// <summary>What the EV draws now, in watts (0 when not charging).</summary>
    public double PowerWatts => CurrentSession is { } s ? _limits.PowerWatts(DateTimeOffset.UtcNow, s.Key, s.Started) : 0;

    /// <summary>The limit the charging profiles impose now, in watts, or null when none does.</summary>
    public double? LimitWatts => _limits.LimitWatts(DateTimeOffset.UtcNow, CurrentSession?.Key, CurrentSession?.Started);

    /// <summary>Transaction messages waiting to be sent (they pile up while the station is offline).</summary>
    public int QueuedMessages
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>
    /// The storm scenario: the station loses power. The connection drops at once, a running transaction ends (its
    /// end is queued), and the station reconnects and boots again on its own.
    /// </summary>
    /// <returns>Whether the station was connected when the storm hit.</returns>
    public bool PowerCycle()
    {
        var link = _link;
        if (link is null)
        {
            return false;
        }
        Interlocked.Exchange(ref _awaitingStormReboot, 1);
        Reboot("PowerUp", "PowerLoss");
        return true;
    }

    /// <summary>
    /// A network outage of <paramref name="duration"/>: the connection drops at once and no new one is tried until it is
    /// over. The station keeps charging meanwhile and queues its transaction messages; it reconnects without rebooting.
    /// </summary>
    public void GoOffline(TimeSpan duration)
    {
        Interlocked.Exchange(ref _offlineUntil, (DateTimeOffset.UtcNow + duration).UtcTicks);
        _link?.Socket.Abort();
    }

    public async Task RunAsync(CancellationToken stop)
    {
        _runStop = stop;
        var sending = SendQueuedAsync(stop);
        var charging = _charges ? ChargeLoopAsync(stop) : Task.CompletedTask;
        var attempt = 0;
        var everConnected = false;
        while (!stop.IsCancellationRequested)
        {
            var outage = new DateTimeOffset(Interlocked.Read(ref _offlineUntil), TimeSpan.Zero) - DateTimeOffset.UtcNow;
            if (outage > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(outage, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            using var socket = new ClientWebSocket();
            socket.Options.AddSubProtocol(_version.Subprotocol());
            socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
            try
            {
                await socket.ConnectAsync(new Uri(_options.Url.ToString().TrimEnd('/') + "/" + Uri.EscapeDataString(_id)), stop);
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException)
            {
                _stats.ConnectFailed(ex.InnerException?.Message is { } inner ? $"{ex.Message} ({inner})" : ex.Message);
                await Backoff(++attempt, stop);
                continue;
            }
            catch (OperationCanceledException)
            {
                break;
            }
            _stats.ConnectSucceeded();
            if (everConnected)
            {
                _stats.Reconnected();
            }
            everConnected = true;
            attempt = 0;
            Interlocked.Increment(ref _stats.Connected);
            using var link = new Link(socket, stop);
            _link = link;
            var receiving = ReceiveLoopAsync(link);
            try
            {
                await ConnectedAsync(link);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or InvalidOperationException or TimeoutException)
            {
                // the connection dropped, the station rebooted, or the run ended; reconnect unless stopping
            }
            finally
            {
                lock (_lock)
                {
                    if (_online.Task.IsCompleted)
                    {
                        _online = NewOnline();
                    }
                }
                _link = null;
                await link.Session.CancelAsync();
                Interlocked.Decrement(ref _stats.Connected);
                await CloseQuietly(socket);
                await receiving;
                link.Closed.TrySetResult();
            }
            if (!stop.IsCancellationRequested)
            {
                await Backoff(1, stop);
            }
        }
        await Task.WhenAll(sending, charging);
    }

    /// <summary>One connection: boot if the station (re)booted or was never accepted, report status, then heartbeat.</summary>
    private async Task ConnectedAsync(Link link)
    {
        if (_rebootReason is not null || !_accepted)
        {
            await BootAsync(link);
        }
        Interlocked.Increment(ref _stats.Booted);
        try
        {
            await Call(link, "StatusNotification", Status(ConnectorStatus));
            lock (_lock)
            {
                _online.TrySetResult(link);
            }
            while (true)
            {
                var changed = _config.Changed;
                var due = Task.Delay(TimeSpan.FromSeconds(_config.HeartbeatSeconds * (0.9 + Random.Shared.NextDouble() * 0.2)), link.Token);
                if (await Task.WhenAny(due, changed) == changed)
                {
                    continue; // a new HeartbeatInterval applies from now on
                }
                await due;
                await Call(link, "Heartbeat", []);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _stats.Booted);
        }
    }

    private async Task BootAsync(Link link)
    {
        var reason = _rebootReason ?? "PowerUp";
        while (true)
        {
            var answer = await Call(link, "BootNotification", BootPayload(reason));
            var interval = answer?.TryGetProperty("interval", out var i) == true ? i.GetInt32() : 0;
            if (answer?.GetProperty("status").GetString() == "Accepted")
            {
                _accepted = true;
                _rebootReason = null;
                _config.SetHeartbeat(_options.HeartbeatSeconds > 0 ? _options.HeartbeatSeconds : Math.Max(1, interval));
                if (Interlocked.Exchange(ref _awaitingStormReboot, 0) == 1)
                {
                    _stats.RebootedAfterStorm();
                }
                return;
            }
            // Pending or Rejected: boot again after the interval (B02.FR.08, B03.FR.05), or when the CSMS triggers it (B02.FR.02)
            _accepted = false;
            var trigger = _bootNow;
            await Task.WhenAny(Task.Delay(TimeSpan.FromSeconds(interval > 0 ? interval : 30), link.Token), trigger.Task);
            link.Token.ThrowIfCancellationRequested();
            Interlocked.CompareExchange(ref _bootNow, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), trigger);
        }
    }

    /// <summary>Reboots: a running transaction ends with <paramref name="stopReason"/>, the connection drops, the station boots with <paramref name="bootReason"/>.</summary>
    private void Reboot(string bootReason, string stopReason)
    {
        CurrentSession?.RequestStop(stopReason, _version == OcppVersion.V16 ? null : bootReason == "RemoteReset" ? "ResetCommand" : "AbnormalCondition");
        _rebootReason = bootReason;
        _link?.Socket.Abort();
    }

    /// <summary>Sends a CALL on the connection and waits for its answer; a CALLERROR is counted by code and returns null.</summary>
    private async Task<JsonElement?> Call(Link link, string action, JsonObject payload)
    {
        await _callLock.WaitAsync(link.Token);
        var messageId = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var pending = new Pending(action, Stopwatch.GetTimestamp());
        link.Pending[messageId] = pending;
        try
        {
            // written out rather than nested in a JsonArray: a queued payload is sent again after a reconnect, and a JsonNode has one parent
            await link.SendAsync($"[2,\"{messageId}\",\"{action}\",{payload.ToJsonString()}]");
            try
            {
                return await pending.Answer.Task.WaitAsync(CallTimeout, link.Token);
            }
            catch (TimeoutException)
            {
                _stats.Error("Timeout");
                throw;
            }
        }
        finally
        {
            link.Pending.TryRemove(messageId, out _);
            _callLock.Release();
        }
    }

    /// <summary>A CALL that matters only while connected (status, heartbeat): skipped when offline, never throws.</summary>
    private async Task TryCall(string action, JsonObject payload)
    {
        if (OnlineLink is not { } link)
        {
            return;
        }
        try
        {
            await Call(link, action, payload);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or InvalidOperationException or TimeoutException)
        {
            // the connection dropped; the status is reported again after the reconnect
        }
    }

    /// <summary>The connection the station is accepted on now, or null; read once, so it cannot change under the caller.</summary>
    private Link? OnlineLink => _online.Task is { IsCompletedSuccessfully: true } online ? online.Result : null;

    private Task<Link> WaitOnline(CancellationToken token)
    {
        lock (_lock)
        {
            return _online.Task.WaitAsync(token);
        }
    }

    private async Task ReceiveLoopAsync(Link link)
    {
        var buffer = new byte[16 * 1024];
        var message = new MemoryStream();
        try
        {
            while (!link.Token.IsCancellationRequested)
            {
                var result = await link.Socket.ReceiveAsync(buffer, link.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }
                await Dispatch(link, message.ToArray());
                message.SetLength(0);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or InvalidOperationException)
        {
            // dropped; the connection loop reconnects
        }
        finally
        {
            await link.Session.CancelAsync();
            foreach (var pending in link.Pending.Values)
            {
                pending.Answer.TrySetCanceled();
            }
        }
    }

    private async Task Dispatch(Link link, byte[] utf8)
    {
        if (!OcppFrameReader.TryRead(utf8, _version, out var frame, out _))
        {
            _stats.Error("UnreadableFrame");
            return;
        }
        switch (frame)
        {
            case CallResultFrame result when link.Pending.TryGetValue(result.MessageId, out var waiting):
                _stats.Answered(waiting.Action, Stopwatch.GetElapsedTime(waiting.Started));
                waiting.Answer.TrySetResult(result.Payload);
                break;
            case CallErrorFrame error when link.Pending.TryGetValue(error.MessageId, out var failed):
                _stats.Error(error.ErrorCode);
                failed.Answer.TrySetResult(null);
                break;
            case CallFrame call:
                _stats.CsmsCall();
                var (answer, then) = Answer(call);
                await link.SendAsync(answer);
                if (then is not null)
                {
                    // after the answer (F06.FR.04), and off the receive loop: the follow-up waits for answers itself
                    _ = Task.Run(async () =>
                    {
                        try
                        {
                            await then();
                        }
                        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or InvalidOperationException or TimeoutException)
                        {
                            // the connection dropped before the follow-up went out
                        }
                    }, CancellationToken.None);
                }
                break;
        }
    }

    private static async Task Backoff(int attempt, CancellationToken stop)
    {
        // randomised exponential back-off, capped: thousands of stations must not reconnect in lock-step
        var seconds = Math.Min(30, Math.Pow(2, Math.Min(attempt, 5))) * (0.5 + Random.Shared.NextDouble());
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds), stop);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private static async Task CloseQuietly(ClientWebSocket socket)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // already gone
            }
        }
    }

    private static TaskCompletionSource<Link> NewOnline() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One WebSocket connection and the calls outstanding on it.</summary>
    private sealed class Link(ClientWebSocket socket, CancellationToken stop) : IDisposable
    {
        private readonly SemaphoreSlim _sendLock = new(1, 1);

        public ClientWebSocket Socket { get; } = socket;

        public CancellationTokenSource Session { get; } = CancellationTokenSource.CreateLinkedTokenSource(stop);

        public CancellationToken Token => Session.Token;

        public ConcurrentDictionary<string, Pending> Pending { get; } = new(StringComparer.Ordinal);

        /// <summary>Completed once the connection is over and the station knows it is offline.</summary>
        public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task SendAsync(string frame)
        {
            await _sendLock.WaitAsync(Token);
            try
            {
                await Socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, Token);
            }
            finally
            {
                _sendLock.Release();
            }
        }

        public void Dispose()
        {
            Session.Dispose();
            _sendLock.Dispose();
        }
    }

    private sealed record Pending(string Action, long Started)
    {
        public TaskCompletionSource<JsonElement?> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
