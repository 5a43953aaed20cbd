using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Csms.Ocpp;

namespace Csms.LoadTest;

/// <summary>Charging sessions and the transaction-message queue that survives disconnections.</summary>
public sealed partial class VirtualStation
{
    private const string LocalIdTag = "LOADTEST";

    private readonly Queue<Queued> _queue = new();
    private readonly SemaphoreSlim _queued = new(0);
    private Session? _session;
    private double _meterWh;
    private bool _inoperative;
    private CancellationToken _runStop;
    private long _lastProfileAcceptedTicks;
    private int _profilesAccepted;

    /// <summary>When the station last accepted a charging profile (for the site probe), or null.</summary>
    public DateTimeOffset? LastProfileAcceptedAt =>
        Interlocked.Read(ref _lastProfileAcceptedTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    public int ProfilesAccepted => Volatile.Read(ref _profilesAccepted);

    /// <summary>When the running session started (its start message was queued), or null when idle.</summary>
    public DateTimeOffset? SessionStartedAt => CurrentSession?.Started;

    private Session? CurrentSession
    {
        get
        {
            lock (_lock)
            {
                return _session;
            }
        }
    }

    private string ConnectorStatus => _inoperative ? "Unavailable"
        : CurrentSession is null ? "Available"
        : _version == OcppVersion.V16 ? "Charging" : "Occupied";

    /// <summary>The charging loop of a station in the charging scenario: an EV arrives, the driver authorizes, it charges, it leaves.</summary>
    private async Task ChargeLoopAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                var link = await WaitOnline(stop);
                await Task.Delay(TimeSpan.FromSeconds(Random.Shared.Next(1, 5)), stop); // the next EV arrives
                if (CurrentSession is { } running)
                {
                    await running.Done.Task.WaitAsync(stop); // a remote start got there first
                    continue;
                }
                JsonElement? authorized;
                try
                {
                    authorized = await Call(link, "Authorize", _version == OcppVersion.V16
                        ? new JsonObject { ["idTag"] = LocalIdTag }
                        : new JsonObject { ["idToken"] = IdToken(LocalIdTag) });
                }
                catch (Exception ex) when (ex is WebSocketException or InvalidOperationException or TimeoutException
                    || (ex is OperationCanceledException && !stop.IsCancellationRequested))
                {
                    continue; // offline: the driver tries again when the station is back
                }
                var info = authorized?.TryGetProperty(_version == OcppVersion.V16 ? "idTagInfo" : "idTokenInfo", out var i) == true ? i : default;
                if (info.ValueKind != JsonValueKind.Object || info.GetProperty("status").GetString() != "Accepted")
                {
                    continue;
                }
                if (StartSession(LocalIdTag, null, null) is { } session)
                {
                    await session.Done.Task.WaitAsync(stop);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the run is over
        }
    }

    /// <summary>Starts a charging session on the one EVSE, or returns null when it is busy or unavailable.</summary>
    private Session? StartSession(string idTag, int? remoteStartId, JsonElement? profile)
    {
        Session session;
        lock (_lock)
        {
            if (_session is not null || _inoperative)
            {
                return null;
            }
            _session = session = new Session(idTag, remoteStartId);
        }
        if (profile is { } p)
        {
            _limits.SetForTransaction(p, _version, session.Key, session.Started); // F01.FR.10
        }
        _ = RunSessionAsync(session);
        return session;
    }

    private async Task RunSessionAsync(Session session)
    {
        Interlocked.Increment(ref _stats.Charging);
        try
        {
            await TryCall("StatusNotification", Status(_version == OcppVersion.V16 ? "Preparing" : "Occupied"));
            Enqueue(StartMessage(session));
            var end = session.Started.AddSeconds(_options.TransactionSeconds);
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(_runStop, session.StopRequested.Token);
            while (DateTimeOffset.UtcNow < end)
            {
                var interval = TimeSpan.FromSeconds(_config.MeterIntervalSeconds);
                var remaining = end - DateTimeOffset.UtcNow;
                try
                {
                    await Task.Delay(remaining < interval ? remaining : interval, stopping.Token);
                }
                catch (OperationCanceledException) when (!_runStop.IsCancellationRequested)
                {
                    break; // stopped remotely, by a reset or by a power cut
                }
                Meter(session);
                if (remaining >= interval)
                {
                    Enqueue(UpdateMessage(session, _version == OcppVersion.V16 ? null : "MeterValuePeriodic", "Sample.Periodic"));
                }
            }
            Meter(session);
            Enqueue(StopMessage(session));
        }
        catch (OperationCanceledException)
        {
            // the run ended mid-session
        }
        finally
        {
            Interlocked.Decrement(ref _stats.Charging);
            lock (_lock)
            {
                _session = null;
            }
            _limits.TransactionEnded(session.Key);
            session.Done.TrySetResult();
        }
        await TryCall("StatusNotification", Status(ConnectorStatus));
    }

    /// <summary>Energy since the last reading, at the power the EV draws within the station's limit.</summary>
    private void Meter(Session session)
    {
        var now = DateTimeOffset.UtcNow;
        lock (_lock)
        {
            var watts = _limits.PowerWatts(session.LastReading, session.Key, session.Started);
            _meterWh += watts * (now - session.LastReading).TotalHours;
            session.LastReading = now;
            session.PowerWatts = _limits.PowerWatts(now, session.Key, session.Started);
        }
    }

    private long MeterWh
    {
        get
        {
            lock (_lock)
            {
                return (long)_meterWh;
            }
        }
    }

    private void Enqueue(Queued message)
    {
        lock (_lock)
        {
            _queue.Enqueue(message);
        }
        _queued.Release();
    }

    /// <summary>Sends the queued transaction messages in order, each until it is answered, waiting out any time offline.</summary>
    private async Task SendQueuedAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await _queued.WaitAsync(stop);
                Queued message;
                lock (_lock)
                {
                    message = _queue.Peek();
                }
                await DeliverAsync(message, stop);
                lock (_lock)
                {
                    _queue.Dequeue();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the run is over; what is still queued is reported
        }
    }

    private async Task DeliverAsync(Queued message, CancellationToken stop)
    {
        for (var attempt = 1; ; attempt++)
        {
            var link = await WaitOnline(stop);
            if (message.Prepare?.Invoke(message.Payload) == false)
            {
                return; // its transaction was refused by the CSMS (the CALLERROR was counted)
            }
            try
            {
                // awaited on its own line: in `Answered?.Invoke(await Call(...))` a null callback would skip the call itself
                var answer = await Call(link, message.Action, message.Payload);
                message.Answered?.Invoke(answer);
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
                // TransactionMessageAttempts (1.6) / MessageAttempts (2.x): send it again
            }
            catch (TimeoutException)
            {
                _stats.Error("TransactionMessageGivenUp");
                return;
            }
            catch (Exception ex) when (ex is WebSocketException or InvalidOperationException
                || (ex is OperationCanceledException && !stop.IsCancellationRequested))
            {
                await link.Closed.Task.WaitAsync(stop); // offline: keep it and go on after the reconnect
            }
        }
    }

    private Queued StartMessage(Session session)
    {
        if (_version == OcppVersion.V16)
        {
            var payload = new JsonObject { ["connectorId"] = 1, ["idTag"] = session.IdTag, ["meterStart"] = MeterWh, ["timestamp"] = Now() };
            return new Queued("StartTransaction", payload, null, answer =>
            {
                if (answer is not { } a)
                {
                    session.Refused = true;
                    session.RequestStop("Other", null);
                    return;
                }
                session.TransactionId16 = a.GetProperty("transactionId").GetInt32();
                if (a.GetProperty("idTagInfo").GetProperty("status").GetString() != "Accepted")
                {
                    session.RequestStop("DeAuthorized", null);
                }
            });
        }
        var started = TransactionEvent(session, "Started", session.RemoteStartId is null ? "Authorized" : "RemoteStart", "Transaction.Begin");
        started["evse"] = new JsonObject { ["id"] = 1, ["connectorId"] = 1 };
        started["idToken"] = IdToken(session.IdTag);
        ((JsonObject)started["transactionInfo"]!)["chargingState"] = "Charging";
        if (session.RemoteStartId is { } remoteStartId)
        {
            ((JsonObject)started["transactionInfo"]!)["remoteStartId"] = remoteStartId; // F01.FR.25
        }
        return new Queued("TransactionEvent", started, null, answer =>
        {
            if (answer is null)
            {
                session.Refused = true;
                session.RequestStop("Other", "AbnormalCondition");
            }
            else if (answer.Value.TryGetProperty("idTokenInfo", out var info) && info.GetProperty("status").GetString() != "Accepted")
            {
                session.RequestStop("DeAuthorized", "Deauthorized"); // F01.FR.03 / E05
            }
        });
    }

    /// <summary>A meter reading during the transaction: 1.6 MeterValues, 2.x TransactionEvent(Updated).</summary>
    private Queued UpdateMessage(Session session, string? trigger, string context)
    {
        if (_version == OcppVersion.V16)
        {
            var payload = new JsonObject { ["connectorId"] = 1, ["meterValue"] = new JsonArray(MeterValue(context, session.PowerWatts)) };
            return new Queued("MeterValues", payload, p => WithTransactionId(session, p), null);
        }
        var updated = TransactionEvent(session, "Updated", trigger ?? "MeterValuePeriodic", context);
        ((JsonObject)updated["transactionInfo"]!)["chargingState"] = "Charging";
        return new Queued("TransactionEvent", updated, null, null);
    }

    private Queued StopMessage(Session session)
    {
        if (_version == OcppVersion.V16)
        {
            var payload = new JsonObject
            {
                ["meterStop"] = MeterWh, ["timestamp"] = Now(), ["idTag"] = session.IdTag,
                ["transactionData"] = new JsonArray(MeterValue("Transaction.End", session.PowerWatts)),
            };
            if (session.StopReason != "Local")
            {
                payload["reason"] = session.StopReason;
            }
            return new Queued("StopTransaction", payload, p => WithTransactionId(session, p), _ => Interlocked.Increment(ref _stats.TransactionsCompleted));
        }
        var ended = TransactionEvent(session, "Ended", session.StopTrigger ?? "EVDeparted", "Transaction.End");
        ((JsonObject)ended["transactionInfo"]!)["chargingState"] = "Idle";
        if (session.StopReason != "Local")
        {
            ((JsonObject)ended["transactionInfo"]!)["stoppedReason"] = session.StopReason; // optional only when Local
        }
        return new Queued("TransactionEvent", ended, null, answer =>
        {
            if (answer is not null)
            {
                Interlocked.Increment(ref _stats.TransactionsCompleted);
            }
        });
    }

    /// <summary>1.6: the transaction id is the CSMS's answer to StartTransaction, known only when it is sent, maybe after an outage.</summary>
    private static bool WithTransactionId(Session session, JsonObject payload)
    {
        if (session.Refused || session.TransactionId16 is not { } id)
        {
            return false;
        }
        payload["transactionId"] = id;
        return true;
    }

    private JsonObject TransactionEvent(Session session, string eventType, string trigger, string context)
    {
        var e = new JsonObject
        {
            ["eventType"] = eventType,
            ["timestamp"] = Now(),
            ["triggerReason"] = trigger,
            ["seqNo"] = session.NextSeqNo(),
            ["transactionInfo"] = new JsonObject { ["transactionId"] = session.Key },
            ["meterValue"] = new JsonArray(MeterValue(context, session.PowerWatts)),
        };
        if (!IsOnline)
        {
            e["offline"] = true; // E04: the event happened while the station had no connection
        }
        return e;
    }

    /// <summary>The energy register and the power drawn, in each version's shape (1.6 values are strings).</summary>
    private JsonObject MeterValue(string context, double watts)
    {
        JsonNode Value(double v) => _version == OcppVersion.V16 ? v.ToString("0", CultureInfo.InvariantCulture) : Math.Round(v);
        return new JsonObject
        {
            ["timestamp"] = Now(),
            ["sampledValue"] = new JsonArray(
                new JsonObject { ["value"] = Value(MeterWh), ["context"] = context, ["measurand"] = "Energy.Active.Import.Register" },
                new JsonObject { ["value"] = Value(watts), ["context"] = context, ["measurand"] = "Power.Active.Import" }),
        };
    }

    /// <summary>A charging session on the one EVSE.</summary>
    private sealed class Session(string idTag, int? remoteStartId)
    {
        private readonly Lock _lock = new();
        private int _seqNo = -1;

        /// <summary>The station's own key: the 2.x transactionId, and the key of its TxProfiles.</summary>
        public string Key { get; } = Guid.NewGuid().ToString("N");

        public string IdTag { get; } = idTag;

        public int? RemoteStartId { get; } = remoteStartId;

        public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

        public DateTimeOffset LastReading { get; set; } = DateTimeOffset.UtcNow;

        public double PowerWatts { get; set; }

        /// <summary>1.6: the id the CSMS gave in its StartTransaction answer.</summary>
        public int? TransactionId16 { get; set; }

        public bool Refused { get; set; }

        public CancellationTokenSource StopRequested { get; } = new();

        public string StopReason { get; private set; } = "Local";

        public string? StopTrigger { get; private set; }

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int NextSeqNo() => Interlocked.Increment(ref _seqNo);

        /// <summary>The id the CSMS knows this transaction by (1.6: null until StartTransaction is answered).</summary>
        public string? CsmsId(OcppVersion version) => version == OcppVersion.V16
            ? TransactionId16?.ToString(CultureInfo.InvariantCulture)
            : Key;

        public void RequestStop(string reason, string? trigger)
        {
            lock (_lock)
            {
                if (StopRequested.IsCancellationRequested)
                {
                    return;
                }
                StopReason = reason;
                StopTrigger = trigger;
                StopRequested.Cancel();
            }
        }
    }

    /// <summary>A transaction message waiting to be sent: <see cref="Prepare"/> fills in what is known only at sending time.</summary>
    private sealed record Queued(string Action, JsonObject Payload, Func<JsonObject, bool>? Prepare, Action<JsonElement?>? Answered);
}
