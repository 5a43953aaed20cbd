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
/// One simulated charging station: boots (honouring Pending/Rejected and the interval it is given), reports status,
/// heartbeats, charges with meter values, answers the CSMS's calls, and reconnects with randomised back-off.
/// Everything is async: thousands share a few threads.
/// </summary>
public sealed class VirtualStation(string id, OcppVersion version, LoadOptions options, LoadStats stats, bool charges)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private ClientWebSocket? _socket;
    private CancellationTokenSource? _session;
    private long _nextId;
    private int _heartbeatSeconds = 300;
    private long _meterWh;
    private int _seqNo;

    public string Id => id;

    /// <summary>Drops the connection at once (the storm scenario); the station reconnects on its own.</summary>
    public void Drop() => _socket?.Abort();

    public async Task RunAsync(CancellationToken stop)
    {
        var attempt = 0;
        var everConnected = false;
        while (!stop.IsCancellationRequested)
        {
            using var socket = new ClientWebSocket();
            socket.Options.AddSubProtocol(version.Subprotocol());
            socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
            try
            {
                await socket.ConnectAsync(new Uri(options.Url.ToString().TrimEnd('/') + "/" + Uri.EscapeDataString(id)), stop);
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException)
            {
                stats.ConnectFailed();
                await Backoff(++attempt, stop);
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (everConnected)
            {
                stats.Reconnected();
            }
            everConnected = true;
            attempt = 0;
            _socket = socket;
            Interlocked.Increment(ref stats.Connected);
            using var session = CancellationTokenSource.CreateLinkedTokenSource(stop);
            _session = session;
            var receiving = ReceiveLoopAsync(socket, session);
            try
            {
                await SessionAsync(session.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or InvalidOperationException or TimeoutException)
            {
                // the connection dropped or the run ended; reconnect unless stopping
            }
            finally
            {
                await session.CancelAsync();
                Interlocked.Decrement(ref stats.Connected);
                await CloseQuietly(socket);
                await receiving;
                _socket = null;
            }
            if (!stop.IsCancellationRequested)
            {
                await Backoff(1, stop);
            }
        }
    }

    private async Task SessionAsync(CancellationToken token)
    {
        await BootAsync(token);
        Interlocked.Increment(ref stats.Booted);
        try
        {
            await Call("StatusNotification", Status("Available"), token);
            var heartbeats = HeartbeatLoopAsync(token);
            if (charges)
            {
                while (!token.IsCancellationRequested)
                {
                    await ChargeAsync(token);
                    await Task.Delay(TimeSpan.FromSeconds(Random.Shared.Next(1, 5)), token);
                }
            }
            await heartbeats;
        }
        finally
        {
            Interlocked.Decrement(ref stats.Booted);
        }
    }

    private async Task BootAsync(CancellationToken token)
    {
        while (true)
        {
            var answer = await Call("BootNotification", version == OcppVersion.V16
                ? new JsonObject { ["chargePointVendor"] = "LoadTest", ["chargePointModel"] = "Virtual", ["chargePointSerialNumber"] = id }
                : new JsonObject
                {
                    ["reason"] = "PowerUp",
                    ["chargingStation"] = new JsonObject { ["vendorName"] = "LoadTest", ["model"] = "Virtual", ["serialNumber"] = id },
                }, token);
            var interval = answer?.TryGetProperty("interval", out var i) == true ? i.GetInt32() : 0;
            if (answer?.GetProperty("status").GetString() == "Accepted")
            {
                _heartbeatSeconds = options.HeartbeatSeconds > 0 ? options.HeartbeatSeconds : Math.Max(1, interval);
                return;
            }
            // Pending or Rejected: boot again after the interval (B02.FR.08), or a pause of our own choosing if none
            await Task.Delay(TimeSpan.FromSeconds(interval > 0 ? interval : 30), token);
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(_heartbeatSeconds * (0.9 + Random.Shared.NextDouble() * 0.2)), token);
            await Call("Heartbeat", new JsonObject(), token);
        }
    }

    private async Task ChargeAsync(CancellationToken token)
    {
        Interlocked.Increment(ref stats.Charging);
        try
        {
            await Call("StatusNotification", Status(version == OcppVersion.V16 ? "Preparing" : "Occupied"), token);
            await Call("Authorize", version == OcppVersion.V16 ? new JsonObject { ["idTag"] = "LOADTEST" } : new JsonObject { ["idToken"] = IdToken() }, token);
            var end = DateTime.UtcNow.AddSeconds(options.TransactionSeconds);
            var start = _meterWh;
            string transactionId;
            if (version == OcppVersion.V16)
            {
                var started = await Call("StartTransaction", new JsonObject
                {
                    ["connectorId"] = 1, ["idTag"] = "LOADTEST", ["meterStart"] = start, ["timestamp"] = Now(),
                }, token);
                transactionId = started?.GetProperty("transactionId").GetInt32().ToString(CultureInfo.InvariantCulture) ?? "0";
            }
            else
            {
                transactionId = Guid.NewGuid().ToString();
                _seqNo = 0;
                await Call("TransactionEvent", TransactionEvent("Started", "Authorized", transactionId, "Charging", withToken: true), token);
            }
            while (DateTime.UtcNow < end)
            {
                await Task.Delay(TimeSpan.FromSeconds(options.MeterIntervalSeconds), token);
                _meterWh += 7400 * options.MeterIntervalSeconds / 3600 + 1;
                if (version == OcppVersion.V16)
                {
                    await Call("MeterValues", new JsonObject
                    {
                        ["connectorId"] = 1,
                        ["transactionId"] = int.Parse(transactionId, CultureInfo.InvariantCulture),
                        ["meterValue"] = new JsonArray(new JsonObject
                        {
                            ["timestamp"] = Now(),
                            ["sampledValue"] = new JsonArray(new JsonObject { ["value"] = _meterWh.ToString(CultureInfo.InvariantCulture) }),
                        }),
                    }, token);
                }
                else
                {
                    await Call("TransactionEvent", TransactionEvent("Updated", "MeterValuePeriodic", transactionId, null, withToken: false), token);
                }
            }
            if (version == OcppVersion.V16)
            {
                await Call("StopTransaction", new JsonObject
                {
                    ["transactionId"] = int.Parse(transactionId, CultureInfo.InvariantCulture), ["meterStop"] = _meterWh, ["timestamp"] = Now(),
                }, token);
            }
            else
            {
                await Call("TransactionEvent", TransactionEvent("Ended", "EVDeparted", transactionId, "Idle", withToken: false), token);
            }
            Interlocked.Increment(ref stats.TransactionsCompleted);
            await Call("StatusNotification", Status("Available"), token);
        }
        finally
        {
            Interlocked.Decrement(ref stats.Charging);
        }
    }

    private JsonObject TransactionEvent(string eventType, string trigger, string transactionId, string? chargingState, bool withToken)
    {
        var info = new JsonObject { ["transactionId"] = transactionId };
        if (chargingState is not null)
        {
            info["chargingState"] = chargingState;
        }
        var e = new JsonObject
        {
            ["eventType"] = eventType,
            ["timestamp"] = Now(),
            ["triggerReason"] = trigger,
            ["seqNo"] = _seqNo++,
            ["transactionInfo"] = info,
            ["meterValue"] = new JsonArray(new JsonObject
            {
                ["timestamp"] = Now(),
                ["sampledValue"] = new JsonArray(new JsonObject
                {
                    ["value"] = _meterWh,
                    ["context"] = eventType switch { "Started" => "Transaction.Begin", "Ended" => "Transaction.End", _ => "Sample.Periodic" },
                }),
            }),
        };
        if (eventType == "Started")
        {
            e["evse"] = new JsonObject { ["id"] = 1, ["connectorId"] = 1 };
        }
        if (withToken)
        {
            e["idToken"] = IdToken();
        }
        return e;
    }

    private static JsonObject IdToken() => new() { ["idToken"] = "LOADTEST", ["type"] = "ISO14443" };

    private JsonObject Status(string status) => version == OcppVersion.V16
        ? new JsonObject { ["connectorId"] = 1, ["errorCode"] = "NoError", ["status"] = status, ["timestamp"] = Now() }
        : new JsonObject { ["timestamp"] = Now(), ["connectorStatus"] = status, ["evseId"] = 1, ["connectorId"] = 1 };

    /// <summary>Sends a CALL and waits for its answer; a CALLERROR is counted by code and returns null.</summary>
    private async Task<JsonElement?> Call(string action, JsonObject payload, CancellationToken token)
    {
        var messageId = (++_nextId).ToString(CultureInfo.InvariantCulture);
        var pending = new Pending(action, Stopwatch.GetTimestamp());
        _pending[messageId] = pending;
        try
        {
            await Send(new JsonArray(2, messageId, action, payload).ToJsonString(), token);
            return await pending.Answer.Task.WaitAsync(CallTimeout, token);
        }
        catch (TimeoutException)
        {
            stats.Error("Timeout");
            throw;
        }
        finally
        {
            _pending.TryRemove(messageId, out _);
        }
    }

    private async Task Send(string frame, CancellationToken token)
    {
        var socket = _socket ?? throw new InvalidOperationException("not connected");
        await _sendLock.WaitAsync(token);
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync(ClientWebSocket socket, CancellationTokenSource session)
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (!session.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, session.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }
                await Dispatch(message.ToArray(), session.Token);
                message.SetLength(0);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // dropped; the session loop reconnects
        }
        finally
        {
            await session.CancelAsync();
            foreach (var pending in _pending.Values)
            {
                pending.Answer.TrySetCanceled();
            }
        }
    }

    private async Task Dispatch(byte[] utf8, CancellationToken token)
    {
        if (!OcppFrameReader.TryRead(utf8, version, out var frame, out _))
        {
            stats.Error("UnreadableFrame");
            return;
        }
        switch (frame)
        {
            case CallResultFrame result when _pending.TryGetValue(result.MessageId, out var waiting):
                stats.Answered(waiting.Action, Stopwatch.GetElapsedTime(waiting.Started));
                waiting.Answer.TrySetResult(result.Payload);
                break;
            case CallErrorFrame error when _pending.TryGetValue(error.MessageId, out var failed):
                stats.Error(error.ErrorCode);
                failed.Answer.TrySetResult(null);
                break;
            case CallFrame call:
                stats.CsmsCall();
                await Send(CsmsCalls.Answer(call, version), token);
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

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private sealed record Pending(string Action, long Started)
    {
        public TaskCompletionSource<JsonElement?> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
