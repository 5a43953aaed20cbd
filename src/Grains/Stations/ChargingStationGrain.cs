using Csms.Grains.Hosting;
using System.Text.Json;
using Csms.Grains.Authorization;
using Csms.Grains.Interfaces.Authorization;
using Csms.Grains.Interfaces.Connections;
using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Interfaces.Transactions;
using Csms.Grains.Records;
using Csms.Grains.Storage;
using Csms.Ocpp;
using Csms.Ocpp.Framing;
using Csms.Ocpp.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Csms.Grains.Stations;

/// <summary>
/// A charging station: registration, its connection (gateway link and epoch), its outbox of CSMS-initiated calls,
/// and the dispatch of its messages to the version's handlers. Non-reentrant: one message at a time, in order.
/// </summary>
public sealed class ChargingStationGrain(
    [PersistentState("station", CsmsStorage.ProviderName)] IPersistentState<StationState> state,
    IOptions<CsmsOptions> options,
    TimeProvider clock,
    ILocalSiloDetails localSilo,
    IStationRecordStore records,
    ILogger<ChargingStationGrain> logger) : Grain, IChargingStationGrain, IStationContext
{
    private const int ReplyCacheLimit = 32;
    private const int EventLimit = 50;
    private const int FinishedCommandLimit = 50;
    private const int TransactionIdBlockSize = 100;

    // messages whose effects must never be applied twice: their answers are remembered by message id
    private static readonly HashSet<string> IdempotentActions = ["StartTransaction", "StopTransaction", "TransactionEvent", "MeterValues"];

    private IGatewayLink? _link;
    private RecordFlush<SequencedEvent>? _eventFlush;
    private IGrainTimer? _commandTimer;
    private IGrainTimer? _bootCheckTimer;
    private DateTimeOffset? _lastMessageAt;
    private bool _dirty;

    public string StationId => this.GetPrimaryKeyString();

    public OcppVersion Version => state.State.Version;

    public CsmsOptions Options => options.Value;

    public DateTimeOffset Now => clock.GetUtcNow();

    public StationState State => state.State;

    public ILogger Logger => logger;

    private RecordFlush<SequencedEvent> EventFlush => _eventFlush ??= new RecordFlush<SequencedEvent>(
        this, () => state.State.EventOutbox, batch => records.AppendEventsAsync(StationId, batch), () => state.WriteStateAsync(), logger);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // events acknowledged before a failover that never reached the store
        EventFlush.Schedule();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (state.State.EventOutbox.Pending.Count > 0)
        {
            await EventFlush.FlushAsync(cancellationToken);
        }
    }

    public async Task<ConnectResult> Connect(StationConnection connection)
    {
        var s = state.State;
        var previousLink = _link;
        var previousEpoch = s.Epoch;
        s.Epoch++;
        s.GatewayId = connection.GatewayId;
        s.Version = connection.Version;
        s.ConnectedSince = connection.ConnectedAt;
        s.RemoteAddress = connection.RemoteAddress;
        s.Connected = true;
        _link = connection.Link;
        _lastMessageAt = null;
        AddEvent("Connected", $"gateway {connection.GatewayId}, OCPP {connection.Version.Number()}, epoch {s.Epoch}");
        await state.WriteStateAsync();

        // the old socket can no longer act (its epoch is stale); closing it is a courtesy to its gateway
        previousLink?.Close(StationId, previousEpoch, "replaced by a newer connection for the same station").Ignore();
        await TrySendNextCommand();
        ScheduleBootCheck(s.Epoch);
        await UpdateRegistry();
        return new ConnectResult(s.Epoch);
    }

    public async Task<bool> Reannounce(long epoch, StationConnection connection)
    {
        if (epoch != state.State.Epoch)
        {
            return false;
        }
        var wasLinked = _link is not null;
        _link = connection.Link;
        if (!state.State.Connected || state.State.GatewayId != connection.GatewayId)
        {
            state.State.Connected = true;
            state.State.GatewayId = connection.GatewayId;
            await state.WriteStateAsync();
        }
        if (!wasLinked)
        {
            await TrySendNextCommand();
        }
        return true;
    }

    public async Task Disconnect(long epoch, string reason)
    {
        if (epoch != state.State.Epoch)
        {
            return;
        }
        _link = null;
        state.State.Connected = false;
        AddEvent("Disconnected", reason);
        await state.WriteStateAsync();
        await UpdateRegistry();
    }

    public async Task<CallReply> HandleCall(long epoch, InboundCall call)
    {
        if (epoch != state.State.Epoch)
        {
            return CallReply.SupersededConnection;
        }
        _lastMessageAt = Now;

        if (!MayCall(call.Action))
        {
            // B01.FR.10 / B02.FR.09 / B03.FR.07; the same rule holds in 1.6 (section 4.2.1)
            return CallReply.Error(OcppErrorCode.SecurityError,
                $"{call.Action} refused: the station is not accepted (registration {state.State.Registration}); send BootNotification first");
        }

        var idempotent = IdempotentActions.Contains(call.Action);
        if (idempotent && state.State.ReplyCache.Find(r => r.MessageId == call.MessageId && r.Action == call.Action) is { } cached)
        {
            return CallReply.Result(cached.PayloadJson);
        }

        if (!StationMessageHandlers.TryGet(Version, call.Action, out var handler))
        {
            return CallReply.Error(OcppErrorCode.NotSupported, $"{call.Action} is not supported by this CSMS");
        }

        CallReply reply;
        try
        {
            reply = await handler(this, call);
        }
        catch (JsonException)
        {
            // schema-valid but unrepresentable, e.g. an integer beyond 32 bits
            reply = CallReply.Error(OcppErrorCode.TypeConstraintViolation, $"{call.Action}: a value does not fit its data type");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Handling {Action} from {Station} failed", call.Action, StationId);
            // whatever the handler changed before it failed is not acknowledged: forget it, so the retry starts afresh
            await DiscardUnsavedChanges(ex);
            return CallReply.Error(OcppErrorCode.InternalError, $"internal error while handling {call.Action}; retry later");
        }

        if (idempotent && !reply.IsError)
        {
            var cache = state.State.ReplyCache;
            cache.Add(new CachedReply(call.MessageId, call.Action, reply.PayloadJson!));
            if (cache.Count > ReplyCacheLimit)
            {
                cache.RemoveAt(0);
            }
            _dirty = true;
        }
        if (_dirty)
        {
            // the answer goes out only once what it acknowledges is durable
            try
            {
                await state.WriteStateAsync();
            }
            catch (Exception ex)
            {
                await DiscardUnsavedChanges(ex);
                throw;
            }
            _dirty = false;
        }
        if (call.Action == "BootNotification")
        {
            await UpdateRegistry();
        }
        return _link is null ? reply with { LinkMissing = true } : reply;
    }

    private async Task DiscardUnsavedChanges(Exception cause)
    {
        _dirty = false;
        await UnsavedChanges.DiscardAsync(this, state, logger, cause);
    }

    public async Task HandleCallResult(long epoch, string messageId, string payloadJson)
    {
        if (epoch != state.State.Epoch || InFlight(messageId) is not { } record)
        {
            logger.LogDebug("Ignoring CALLRESULT {MessageId} from {Station}: no such outstanding call", messageId, StationId);
            return;
        }
        var command = record.Status;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payloadJson);
        }
        catch (JsonException)
        {
            await Finish(record, CommandState.CallError, null, OcppErrorCode.FormatViolation.Spelling(Version), "the station's response is not JSON");
            return;
        }
        using var _ = document;
        var validation = OcppSchemaSet.Embedded.Validate(Version, command.Action, OcppMessageKind.Response, document.RootElement);
        if (!validation.IsValid)
        {
            await Finish(record, CommandState.CallError, payloadJson, validation.Error.Spelling(Version),
                $"the station's response is invalid: {validation.Description}");
            return;
        }
        var status = document.RootElement.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        var outcome = CommandOutcomes.IsPositive(status) ? CommandState.Accepted : CommandState.Rejected;
        if (outcome == CommandState.Accepted && command.Action is "TriggerMessage" or "ExtendedTriggerMessage")
        {
            RememberTrigger(command.PayloadJson);
        }
        await Finish(record, outcome, payloadJson, null, null);
    }

    public async Task HandleCallError(long epoch, string messageId, string errorCode, string description)
    {
        if (epoch != state.State.Epoch || InFlight(messageId) is not { } record)
        {
            return;
        }
        await Finish(record, CommandState.CallError, null, errorCode, description);
    }

    public async Task<CommandStatus> SendCommand(CommandRequest request)
    {
        var outbox = state.State.Outbox;
        if (request.IdempotencyKey is { } key && outbox.Find(c => c.IdempotencyKey == key) is { } existing)
        {
            return existing.Status;
        }
        var record = new CommandRecord
        {
            Status = new CommandStatus(Guid.NewGuid().ToString("N"), request.Action, CommandState.Queued, Now, null, null, null, null, null,
                request.PayloadJson, request.Timeout <= TimeSpan.Zero ? options.Value.CommandTimeout : request.Timeout),
            IdempotencyKey = request.IdempotencyKey,
        };
        outbox.Add(record);
        TrimOutbox();
        await state.WriteStateAsync();
        await TrySendNextCommand();
        return record.Status;
    }

    public Task<CommandStatus?> GetCommand(string commandId) =>
        Task.FromResult(state.State.Outbox.Find(c => c.Status.CommandId == commandId)?.Status);

    public async Task SetRegistration(RegistrationStatus status)
    {
        state.State.OperatorDecision = status is RegistrationStatus.Accepted or RegistrationStatus.Rejected ? status : null;
        AddEvent("Registration", $"operator set registration to {status}");
        await state.WriteStateAsync();
        await UpdateRegistry();
    }

    public async Task<StationSnapshot> GetSnapshot()
    {
        var s = state.State;
        var evses = await Task.WhenAll(s.Evses.ToArray().Select(id => EvseGrain(id).GetSnapshot()));
        var connection = s.GatewayId is null ? null : new ConnectionInfo(
            s.Connected, s.GatewayId, s.Epoch, s.Version.Number(), s.ConnectedSince ?? default, _lastMessageAt, s.RemoteAddress);
        return new StationSnapshot(
            StationId,
            s.Registration,
            s.Boot,
            connection,
            s.LastHeartbeat,
            evses,
            evses.Where(e => e.ActiveTransaction is not null).Select(e => e.ActiveTransaction!).ToArray(),
            evses.SelectMany(e => e.RecentTransactions).OrderByDescending(t => t.EndedAt).ToArray(),
            s.Outbox.Select(c => c.Status).Reverse().ToArray(),
            s.Events.AsEnumerable().Reverse().ToArray(),
            s.FirmwareStatus,
            s.Reports.Count,
            // the silo holding this station right now: which pod to look at, and what a failover moves
            localSilo.SiloAddress.ToString());
    }

    public IEvseGrain Evse(int evseId)
    {
        if (state.State.Evses.Add(evseId))
        {
            _dirty = true;
        }
        return EvseGrain(evseId);
    }

    private IEvseGrain EvseGrain(int evseId) => GrainFactory.GetGrain<IEvseGrain>(new EvseKey(StationId, evseId).ToString());

    public Task<IdTokenDecision> AuthorizeAsync(string idToken) =>
        GrainFactory.GetGrain<IIdTokenGrain>(IdTokenGrain.Canonical(idToken)).Authorize();

    public async Task<int> NextTransactionIdAsync()
    {
        var s = state.State;
        if (s.NextTransactionId >= s.TransactionIdBlockEnd)
        {
            var block = await GrainFactory.GetGrain<ITransactionIdAllocatorGrain>(0).Reserve(TransactionIdBlockSize);
            s.NextTransactionId = block.First;
            s.TransactionIdBlockEnd = block.First + block.Count;
        }
        _dirty = true;
        return s.NextTransactionId++;
    }

    public RegistrationStatus DecideRegistration()
    {
        if (state.State.OperatorDecision is { } decision)
        {
            return decision;
        }
        var registration = options.Value.Registration;
        if (registration.Policy == RegistrationPolicy.AcceptAll
            || registration.KnownStations.Exists(k => string.Equals(k, StationId, StringComparison.OrdinalIgnoreCase)))
        {
            return RegistrationStatus.Accepted;
        }
        return registration.Policy == RegistrationPolicy.Pending ? RegistrationStatus.Pending : RegistrationStatus.Rejected;
    }

    public void AddEvent(string kind, string detail)
    {
        var stationEvent = new StationEvent(Now, kind, OcppErrorCodes.Clip(detail));
        var events = state.State.Events;
        events.Add(stationEvent);
        if (events.Count > EventLimit)
        {
            events.RemoveAt(0);
        }
        var outbox = state.State.EventOutbox;
        if (outbox.Add(new SequencedEvent(outbox.Take(), stationEvent)) is > 0 and var dropped)
        {
            logger.LogError("Station {Station}: the record store has been unreachable for long; {Dropped} old event(s) dropped", StationId, dropped);
        }
        EventFlush.Schedule();
        _dirty = true;
    }

    /// <summary>The registry row behind station lists; a derived view, so a failed write is logged and redone on the next change.</summary>
    private async Task UpdateRegistry()
    {
        var s = state.State;
        try
        {
            await records.UpsertStationAsync(new StationRegistryEntry(
                StationId, s.Boot, s.Registration, s.GatewayId is null ? null : s.Version.Number(), s.Connected, s.GatewayId, Now));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Station {Station}: updating the station registry failed", StationId);
        }
    }

    public void MarkDirty() => _dirty = true;

    /// <summary>
    /// A station we have no BootNotification from (new to us, or from before a standalone restart) would otherwise be
    /// refused forever: 1.6 chargers boot only when they restart. If it has not booted a while after connecting, ask it
    /// to (1.6 TriggerMessage, 2.0.1 F06 TriggerMessage BootNotification).
    /// </summary>
    private void ScheduleBootCheck(long epoch)
    {
        var delay = options.Value.Registration.TriggerBootAfterSeconds;
        if (delay <= 0 || state.State.Registration != RegistrationStatus.Unknown)
        {
            return;
        }
        _bootCheckTimer?.Dispose();
        _bootCheckTimer = this.RegisterGrainTimer(async (e, _) =>
        {
            _bootCheckTimer?.Dispose();
            _bootCheckTimer = null;
            var s = state.State;
            if (s.Epoch == e && s.Connected && s.Registration == RegistrationStatus.Unknown)
            {
                AddEvent("TriggerBoot", "no BootNotification since connecting; asking the station to send one");
                await SendCommand(new CommandRequest("TriggerMessage", """{"requestedMessage":"BootNotification"}""", TimeSpan.Zero));
            }
        }, epoch, new GrainTimerCreationOptions { DueTime = TimeSpan.FromSeconds(delay), Period = Timeout.InfiniteTimeSpan });
    }

    private bool MayCall(string action)
    {
        var s = state.State;
        return s.Registration == RegistrationStatus.Accepted
            || action == "BootNotification"
            || (s.Registration == RegistrationStatus.Pending && (action == "NotifyReport" || s.TriggeredActions.Contains(action)));
    }

    private CommandRecord? InFlight(string messageId) =>
        state.State.Outbox.Find(c => c.Status.State == CommandState.Sent && c.Status.CommandId == messageId);

    private async Task TrySendNextCommand()
    {
        var s = state.State;
        // B03.FR.03: nothing is sent to a rejected station; one outstanding CALL per direction (OCPP-J 4.1.1)
        if (_link is null || !s.Connected || s.Registration == RegistrationStatus.Rejected
            || s.Outbox.Exists(c => c.Status.State == CommandState.Sent))
        {
            return;
        }
        var next = s.Outbox.Find(c => c.Status.State == CommandState.Queued);
        if (next is null)
        {
            return;
        }
        var command = next.Status;
        next.Status = command with { State = CommandState.Sent, SentAt = Now };
        await state.WriteStateAsync();

        _commandTimer?.Dispose();
        _commandTimer = this.RegisterGrainTimer(OnCommandTimeout, command.CommandId,
            new GrainTimerCreationOptions { DueTime = command.Timeout, Period = Timeout.InfiniteTimeSpan, Interleave = false });
        _link.Send(StationId, s.Epoch, OcppFrameWriter.Call(command.CommandId, command.Action, command.PayloadJson)).Ignore();
    }

    private async Task OnCommandTimeout(string commandId, CancellationToken cancellationToken)
    {
        if (InFlight(commandId) is { } record)
        {
            await Finish(record, CommandState.TimedOut, null, null, "the station did not answer in time");
        }
    }

    private async Task Finish(CommandRecord record, CommandState outcome, string? responseJson, string? errorCode, string? description)
    {
        _commandTimer?.Dispose();
        _commandTimer = null;
        record.Status = record.Status with
        {
            State = outcome,
            CompletedAt = Now,
            ResponseJson = responseJson,
            ErrorCode = errorCode,
            ErrorDescription = description is null ? null : OcppErrorCodes.Clip(description),
        };
        TrimOutbox();
        await state.WriteStateAsync();
        await TrySendNextCommand();
    }

    private void RememberTrigger(string payloadJson)
    {
        using var document = JsonDocument.Parse(payloadJson);
        if (document.RootElement.TryGetProperty("requestedMessage", out var requested) && requested.ValueKind == JsonValueKind.String)
        {
            // TriggerMessage names the message without "Request"/".req" (1.6 MessageTrigger, 2.x MessageTriggerEnumType)
            state.State.TriggeredActions.Add(requested.GetString()!);
        }
    }

    private void TrimOutbox()
    {
        var outbox = state.State.Outbox;
        var finished = outbox.Count(c => c.Status.IsFinal);
        for (var i = 0; i < outbox.Count && finished > FinishedCommandLimit; i++)
        {
            if (outbox[i].Status.IsFinal)
            {
                outbox.RemoveAt(i--);
                finished--;
            }
        }
    }
}
