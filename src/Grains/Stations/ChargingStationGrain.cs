using Csms.Grains.Hosting;
using System.Text.Json;
using Csms.Grains.Authorization;
using Csms.Grains.Interfaces.Authorization;
using Csms.Grains.Interfaces.Connections;
using Csms.Grains.Interfaces.History;
using Csms.Grains.Live;
using Csms.Grains.Interfaces.Registration;
using Csms.Grains.Interfaces.Sites;
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
    LiveEventPublisher live,
    ILogger<ChargingStationGrain> logger) : Grain, IChargingStationGrain, IStationContext
{
    private const int ReplyCacheLimit = 32;
    private const int EventLimit = 50;
    private const int FinishedCommandLimit = 50;
    private const int TransactionIdBlockSize = 100;

    // messages whose effects must never be applied twice: their answers are remembered by message id
    private static readonly HashSet<string> IdempotentActions = ["StartTransaction", "StopTransaction", "TransactionEvent", "MeterValues"];

    // a station's messages worth streaming live (not heartbeats, authorizations…)
    private static readonly HashSet<string> LiveActions =
    [
        "BootNotification", "StatusNotification", "StartTransaction", "StopTransaction", "MeterValues", "TransactionEvent",
        "FirmwareStatusNotification", "SecurityEventNotification", "NotifyEvent",
    ];

    private IGatewayLink? _link;
    // the epoch whose socket the gateway has registered: only then can a frame sent through the link reach it
    private long? _attachedEpoch;
    private RecordFlush<SequencedEvent>? _eventFlush;
    private RecordFlush<StoredCommand>? _commandHistoryFlush;
    private IGrainTimer? _expiryTimer;
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

    private RecordFlush<StoredCommand> CommandHistoryFlush => _commandHistoryFlush ??= new RecordFlush<StoredCommand>(
        this, () => state.State.CommandHistoryOutbox, batch => records.AppendCommandsAsync(StationId, batch), () => state.WriteStateAsync(), logger);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // records acknowledged before a failover that never reached the store
        EventFlush.Schedule();
        CommandHistoryFlush.Schedule();
        // a command in flight when the previous activation died keeps its deadline; queued ones keep their expiry
        if (state.State.Outbox.Find(c => c.Status.State == CommandState.Sent) is { } inFlight)
        {
            var left = inFlight.Status.SentAt.GetValueOrDefault(Now) + inFlight.Status.Timeout - Now;
            StartCommandTimer(inFlight.Status.CommandId, left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
        ScheduleExpiry();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await EventFlush.FlushIfPendingAsync(cancellationToken);
        await CommandHistoryFlush.FlushIfPendingAsync(cancellationToken);
    }

    public async Task<ConnectResult> Connect(StationConnection connection)
    {
        var s = state.State;
        var previousLink = _link;
        var previousEpoch = s.Epoch;
        var takeover = s.Connected ? $"a new connection from {connection.RemoteAddress ?? "?"} (gateway {connection.GatewayId}) replaced the live one " +
            $"from {s.RemoteAddress ?? "?"} (gateway {s.GatewayId}, epoch {previousEpoch})" : null;
        s.Epoch++;
        s.GatewayId = connection.GatewayId;
        s.Version = connection.Version;
        s.ConnectedSince = connection.ConnectedAt;
        s.RemoteAddress = connection.RemoteAddress;
        s.Connected = true;
        _link = connection.Link;
        _attachedEpoch = null;
        CertificateSerial = connection.CertificateSerial;
        _lastMessageAt = null;
        SettlePendingPassword(connection);
        AddEvent("Connected", $"gateway {connection.GatewayId}, OCPP {connection.Version.Number()}, epoch {s.Epoch}");
        PublishLive("Connected", $"gateway {connection.GatewayId}, OCPP {connection.Version.Number()}", null);
        if (takeover is not null)
        {
            // only a connection that passed the station's security profile gets here; still, a takeover is worth a look
            AddEvent("Security", "Takeover: " + takeover);
            PublishLive("Security", "Takeover: " + takeover, null);
        }
        await state.WriteStateAsync();

        // the old socket can no longer act (its epoch is stale); closing it is a courtesy to its gateway
        previousLink?.Close(StationId, previousEpoch, "replaced by a newer connection for the same station").Ignore();
        ScheduleBootCheck(s.Epoch);
        await UpdateRegistry();
        return new ConnectResult(s.Epoch);
    }

    public async Task Attached(long epoch)
    {
        if (epoch == state.State.Epoch)
        {
            _attachedEpoch = epoch;
            // the site learns of it once commands can reach it (its profiles are sent at once)
            NotifySiteOnline(true);
            await TrySendNextCommand();
        }
    }

    public async Task<bool> Reannounce(long epoch, StationConnection connection)
    {
        if (epoch != state.State.Epoch)
        {
            return false;
        }
        var wasLinked = _link is not null && _attachedEpoch == epoch;
        _link = connection.Link;
        CertificateSerial = connection.CertificateSerial;
        _attachedEpoch = epoch;
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
        PublishLive("Disconnected", reason, null);
        NotifySiteOnline(false);
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
        if (!reply.IsError && LiveActions.Contains(call.Action))
        {
            live.Publish(new PendingLiveEvent(Now, StationId, state.State.Profile.Site, null, call.Action, null, call.Action, call.PayloadJson, reply.PayloadJson));
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
        var outcome = CommandOutcomes.IsPositive(command.Action, document.RootElement) ? CommandState.Accepted : CommandState.Rejected;
        ConfigurationSnapshot.ApplyCommand(state.State.Configuration, command.Action, command.PayloadJson, payloadJson, Now);
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
            // the caller compares action and payload: the same key for a different command is the caller's mistake
            return existing.Status;
        }
        var expiresAfter = request.ExpiresAfter is { } e && e > TimeSpan.Zero ? e : options.Value.CommandExpiry;
        var record = new CommandRecord
        {
            Status = new CommandStatus(Guid.NewGuid().ToString("N"), request.Action, CommandState.Queued, Now, null, null, null, null, null,
                request.PayloadJson, request.Timeout <= TimeSpan.Zero ? options.Value.CommandTimeout : request.Timeout,
                Now + expiresAfter, request.RequestedBy),
            IdempotencyKey = request.IdempotencyKey,
            SendPayloadJson = request.SendPayloadJson,
            NewPasswordHash = request.NewPasswordHash,
        };
        var unsent = outbox.Count(c => !c.Status.IsFinal);
        outbox.Add(record);
        if (unsent >= options.Value.MaxQueuedCommands)
        {
            await Finish(record, CommandState.Cancelled, null, CommandRefusals.OutboxFull,
                $"not queued: {unsent} commands already wait for this station (Csms:MaxQueuedCommands); retry once some are answered or expired",
                sendNext: false);
            return record.Status;
        }
        if (request.NewPasswordHash is { } newHash && await PasswordChangeConflict(record, newHash) is { } conflict)
        {
            await Finish(record, CommandState.Cancelled, null, CommandRefusals.PasswordChangeInProgress, conflict);
            return record.Status;
        }
        if (!request.WaitIfOffline && !CanSend)
        {
            // fail fast: recorded (the history shows it was asked for), never sent
            var why = state.State.Registration == RegistrationStatus.Rejected
                ? "not sent: the station's registration is Rejected"
                : "not sent: the station is not connected and the command was not to wait for it";
            await Finish(record, CommandState.Cancelled, null, null, why);
            return record.Status;
        }
        TrimOutbox();
        await state.WriteStateAsync();
        await TrySendNextCommand();
        ScheduleExpiry();
        return record.Status;
    }

    public Task<CommandStatus?> GetCommand(string commandId) =>
        Task.FromResult(state.State.Outbox.Find(c => c.Status.CommandId == commandId)?.Status);

    public async Task<CommandCancellation?> CancelCommand(string commandId)
    {
        if (state.State.Outbox.Find(c => c.Status.CommandId == commandId) is not { } record)
        {
            return null;
        }
        if (record.Status.State != CommandState.Queued)
        {
            return new CommandCancellation(record.Status, false);
        }
        await Finish(record, CommandState.Cancelled, null, null, "cancelled by the operator before it was sent");
        return new CommandCancellation(record.Status, true);
    }

    private bool CanSend => _link is not null && _attachedEpoch == state.State.Epoch && state.State.Connected
        && state.State.Registration != RegistrationStatus.Rejected;

    /// <summary>Queued commands past their expiry are finished as Expired; a timer (which keeps the grain active) handles the next one.</summary>
    private async Task ExpireOverdue()
    {
        foreach (var record in state.State.Outbox.Where(c => c.Status.State == CommandState.Queued && c.Status.ExpiresAt <= Now).ToArray())
        {
            var why = state.State.Connected ? "not sent before its expiry: the station was busy with earlier commands" : "not sent before its expiry: the station did not connect";
            await Finish(record, CommandState.Expired, null, null, why, sendNext: false);
        }
        ScheduleExpiry();
    }

    private void ScheduleExpiry()
    {
        _expiryTimer?.Dispose();
        _expiryTimer = null;
        var next = state.State.Outbox.Where(c => c.Status.State == CommandState.Queued && c.Status.ExpiresAt is not null)
            .Select(c => c.Status.ExpiresAt!.Value).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        if (next == DateTimeOffset.MaxValue)
        {
            return;
        }
        var due = next - Now;
        _expiryTimer = this.RegisterGrainTimer(async _ => await ExpireOverdue(), new GrainTimerCreationOptions
        {
            DueTime = due > TimeSpan.Zero ? due : TimeSpan.Zero,
            Period = Timeout.InfiniteTimeSpan,
            KeepAlive = true,
        });
    }

    public Task<StationProfile> GetProfile() => Task.FromResult(state.State.Profile);

    public async Task<StationAdmission> GetAdmission()
    {
        var s = state.State;
        var known = s.Profile.Registered || s.OperatorDecision == RegistrationStatus.Accepted || s.Registration == RegistrationStatus.Accepted
            || options.Value.Registration.KnownStations.Exists(k => string.Equals(k, StationId, StringComparison.OrdinalIgnoreCase));
        var allowed = known || await GrainFactory.GetGrain<IRegistrationPolicyGrain>(0).Get() != RegistrationPolicy.RejectUnknown;
        return new StationAdmission(allowed, known, s.Profile.SecurityProfile, s.Profile.PasswordHash, s.PendingPassword?.Hash);
    }

    public Task<IReadOnlyList<ConfigurationValue>> GetConfiguration() =>
        Task.FromResult<IReadOnlyList<ConfigurationValue>>(state.State.Configuration.Values.OrderBy(v => v.Name, StringComparer.Ordinal).ToArray());

    public async Task<StationProfile> SetProfile(StationProfile profile)
    {
        var previous = state.State.Profile;
        state.State.Profile = profile with { Registered = true, RegisteredAt = previous.RegisteredAt ?? Now };
        if (profile.PasswordHash != previous.PasswordHash && state.State.PendingPassword is not null)
        {
            // an operator set the password directly: a change sent over OCPP no longer decides it
            state.State.PendingPassword = null;
        }
        AddEvent("Registration", previous.Registered
            ? $"registration updated (site {profile.Site ?? "-"}, security profile {profile.SecurityProfile})"
            : $"registered by an operator (site {profile.Site ?? "-"}, security profile {profile.SecurityProfile})");
        PublishLive("Registration", "registration updated", null);
        await state.WriteStateAsync();
        await UpdateRegistry();
        if (previous.Site != profile.Site)
        {
            // the old site forgets this station's EVSEs (and clears its profiles); the new one learns them
            if (previous.Site is { } left)
            {
                await GrainFactory.GetGrain<ISiteGrain>(left).RemoveStation(StationId);
            }
            NotifySiteOnline(state.State.Connected);
        }
        return state.State.Profile;
    }

    public async Task<bool> Remove()
    {
        var s = state.State;
        if (!s.Profile.Registered && s.Registration == RegistrationStatus.Unknown && s.GatewayId is null && s.Outbox.Count == 0)
        {
            return false;
        }
        // history already acknowledged must still reach the store before the state goes
        await EventFlush.FlushIfPendingAsync(CancellationToken.None);
        await CommandHistoryFlush.FlushIfPendingAsync(CancellationToken.None);
        _link?.Close(StationId, s.Epoch, "the station was removed by an operator").Ignore();
        PublishLive("Removed", "the station was removed by an operator", null);
        _link = null;
        var epoch = s.Epoch;
        await records.RemoveStationAsync(StationId);
        await state.ClearStateAsync();
        // a later connection must still get a higher epoch than any socket of the removed station
        state.State.Epoch = epoch;
        await state.WriteStateAsync();
        DeactivateOnIdle();
        return true;
    }

    public async Task SetRegistration(RegistrationStatus status)
    {
        state.State.OperatorDecision = status is RegistrationStatus.Accepted or RegistrationStatus.Rejected ? status : null;
        AddEvent("Registration", $"operator set registration to {status}");
        PublishLive("Registration", $"operator set registration to {status}", null);
        await state.WriteStateAsync();
        await UpdateRegistry();
    }

    public async Task<StationSnapshot> GetSnapshot()
    {
        var s = state.State;
        var evses = await Task.WhenAll(s.Evses.ToArray().Select(id => EvseGrain(id).GetSnapshot()));
        return new StationSnapshot(
            StationId,
            s.Registration,
            s.Boot,
            Connection(),
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

    public Task<ConnectionInfo?> GetConnection() => Task.FromResult(Connection());

    private ConnectionInfo? Connection()
    {
        var s = state.State;
        return s.GatewayId is null ? null : new ConnectionInfo(
            s.Connected, s.GatewayId, s.Epoch, s.Version.Number(), s.ConnectedSince ?? default, _lastMessageAt, s.RemoteAddress);
    }

    public IEvseGrain Evse(int evseId)
    {
        if (state.State.Evses.Add(evseId))
        {
            _dirty = true;
            if (state.State.Profile.Site is { } site)
            {
                GrainFactory.GetGrain<ISiteGrain>(site).EvsesSeen(StationId, [evseId]).Ignore();
            }
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

    public async Task<RegistrationStatus> DecideRegistrationAsync()
    {
        var s = state.State;
        if (s.OperatorDecision is { } decision)
        {
            return decision;
        }
        if (s.Profile.Registered
            || options.Value.Registration.KnownStations.Exists(k => string.Equals(k, StationId, StringComparison.OrdinalIgnoreCase)))
        {
            return RegistrationStatus.Accepted;
        }
        return await GrainFactory.GetGrain<IRegistrationPolicyGrain>(0).Get() switch
        {
            RegistrationPolicy.AcceptAll => RegistrationStatus.Accepted,
            RegistrationPolicy.Pending => RegistrationStatus.Pending,
            _ => RegistrationStatus.Rejected,
        };
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
                StationId, s.Boot, s.Registration, s.GatewayId is null ? null : s.Version.Number(), s.Connected, s.GatewayId, Now,
                s.Profile.Site, s.Profile.Description));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Station {Station}: updating the station registry failed", StationId);
        }
    }

    public void MarkDirty() => _dirty = true;

    public string? CertificateSerial { get; private set; }

    public void NotifySite(int evseId, bool? charging, IReadOnlyList<MeterSample> samples, DateTimeOffset at, bool suspendedByEv = false)
    {
        if (state.State.Profile.Site is { } site)
        {
            // an EV that suspended itself draws nothing, whatever the last reading said: its share beyond the minimum goes to others
            var drawn = DrawnAmps(samples) ?? (suspendedByEv ? 0m : null);
            GrainFactory.GetGrain<ISiteGrain>(site).SessionChanged(new EvseSessionUpdate(StationId, evseId, charging, drawn, at)).Ignore();
        }
    }

    /// <summary>What the EV draws per phase: Current.Import if reported (the highest phase), else active power over 3 × 230 V.</summary>
    private static decimal? DrawnAmps(IReadOnlyList<MeterSample> samples)
    {
        var current = samples.Where(s => s.Measurand == "Current.Import").Select(s => (decimal?)s.Value).Max();
        if (current is not null)
        {
            return current;
        }
        var power = samples.Where(s => s.Measurand == "Power.Active.Import" && s.Phase is null).Select(s => (decimal?)s.Value).Max();
        return power / (3 * 230m);
    }

    private void NotifySiteOnline(bool online)
    {
        if (state.State.Profile.Site is { } site)
        {
            GrainFactory.GetGrain<ISiteGrain>(site).StationOnline(StationId, online, [.. state.State.Evses]).Ignore();
        }
    }

    /// <summary>Tells the live event stream (a live view may miss an event, the history does not).</summary>
    private void PublishLive(string kind, string detail, string? dataJson) =>
        live.Publish(new PendingLiveEvent(Now, StationId, state.State.Profile.Site, kind, detail, dataJson));

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
        if (!CanSend || s.Outbox.Exists(c => c.Status.State == CommandState.Sent))
        {
            return;
        }
        var next = s.Outbox.Find(c => c.Status.State == CommandState.Queued && !(c.Status.ExpiresAt <= Now));
        if (next is null)
        {
            return;
        }
        var command = next.Status;
        var frame = OcppFrameWriter.Call(command.CommandId, command.Action, next.SendPayloadJson ?? command.PayloadJson);
        next.Status = command with { State = CommandState.Sent, SentAt = Now };
        // a secret (a new password) is kept only until it is sent: a Sent command is never sent again
        next.SendPayloadJson = null;
        await state.WriteStateAsync();

        StartCommandTimer(command.CommandId, command.Timeout);
        _link!.Send(StationId, s.Epoch, frame).Ignore();
    }

    private void StartCommandTimer(string commandId, TimeSpan due)
    {
        _commandTimer?.Dispose();
        _commandTimer = this.RegisterGrainTimer(OnCommandTimeout, commandId,
            new GrainTimerCreationOptions { DueTime = due, Period = Timeout.InfiniteTimeSpan, Interleave = false, KeepAlive = true });
    }

    private async Task OnCommandTimeout(string commandId, CancellationToken cancellationToken)
    {
        if (InFlight(commandId) is { } record)
        {
            await Finish(record, CommandState.TimedOut, null, null, "the station did not answer in time");
        }
    }

    private async Task Finish(CommandRecord record, CommandState outcome, string? responseJson, string? errorCode, string? description,
        bool sendNext = true)
    {
        if (record.Status.State == CommandState.Sent)
        {
            _commandTimer?.Dispose();
            _commandTimer = null;
        }
        record.Status = record.Status with
        {
            State = outcome,
            CompletedAt = Now,
            ResponseJson = responseJson,
            ErrorCode = errorCode,
            ErrorDescription = description is null ? null : OcppErrorCodes.Clip(description),
        };
        record.SendPayloadJson = null;
        if (record.NewPasswordHash is { } newPasswordHash)
        {
            PasswordChangeFinished(record.Status, newPasswordHash);
        }
        var history = state.State.CommandHistoryOutbox;
        if (history.Add(new StoredCommand(StationId, history.Take(), record.Status)) is > 0 and var dropped)
        {
            logger.LogError("Station {Station}: the record store has been unreachable for long; {Dropped} old command(s) dropped from the history", StationId, dropped);
        }
        CommandHistoryFlush.Schedule();
        PublishLive("CommandFinished", $"{record.Status.Action} {record.Status.State}", JsonSerializer.Serialize(new
        {
            commandId = record.Status.CommandId,
            action = record.Status.Action,
            state = record.Status.State.ToString(),
            errorCode = record.Status.ErrorCode,
            errorDescription = record.Status.ErrorDescription,
        }));
        TrimOutbox();
        await state.WriteStateAsync();
        if (sendNext)
        {
            await TrySendNextCommand();
        }
    }

    /// <summary>
    /// A new password change: refused while an earlier one has been sent and not answered (the station may be switching
    /// to it); an earlier one still queued is superseded. Otherwise it becomes the pending one.
    /// </summary>
    private async Task<string?> PasswordChangeConflict(CommandRecord record, string newHash)
    {
        var s = state.State;
        if (s.PendingPassword is { } earlier && s.Outbox.Find(c => c.Status.CommandId == earlier.CommandId) is { } earlierRecord
            && !earlierRecord.Status.IsFinal)
        {
            if (earlierRecord.Status.State == CommandState.Sent)
            {
                return $"another password change (command {earlier.CommandId}) is waiting for the station's answer; send this one after it";
            }
            await Finish(earlierRecord, CommandState.Cancelled, null, null,
                $"superseded by password change {record.Status.CommandId} before it was sent", sendNext: false);
        }
        s.PendingPassword = new PendingPassword(record.Status.CommandId, newHash);
        AddEvent("Security", $"password change queued (command {record.Status.CommandId}); the current password stays valid until the station accepts");
        return null;
    }

    /// <summary>A01.FR.03 / FR.04: the station's answer decides which password is valid from now on.</summary>
    private void PasswordChangeFinished(CommandStatus command, string newHash)
    {
        var s = state.State;
        var isPending = s.PendingPassword?.CommandId == command.CommandId;
        string what;
        switch (command.State)
        {
            case CommandState.Accepted:
                s.Profile = s.Profile with { PasswordHash = newHash };
                s.PendingPassword = isPending ? null : s.PendingPassword;
                what = "the station accepted its new password; the previous one is no longer accepted (A01.FR.03)";
                break;
            case CommandState.TimedOut:
                // it may or may not have switched: both passwords are accepted until it logs in with one of them
                what = "the station did not answer the password change; its previous and its new password are both accepted until it logs in with one";
                break;
            case CommandState.Cancelled when !isPending:
                return;
            default:
                s.PendingPassword = isPending ? null : s.PendingPassword;
                what = $"the password change ended {command.State}; the station keeps its previous password, which stays valid (A01.FR.04)";
                break;
        }
        AddEvent("Security", $"{what} (command {command.CommandId})");
        PublishLive("Security", what, null);
    }

    /// <summary>Which password the station logged in with settles a change whose answer never came.</summary>
    private void SettlePendingPassword(StationConnection connection)
    {
        var s = state.State;
        if (s.PendingPassword is not { } pending)
        {
            return;
        }
        if (connection.WithPendingPassword)
        {
            s.Profile = s.Profile with { PasswordHash = pending.Hash };
            s.PendingPassword = null;
            AddEvent("Security", $"the station logged in with its new password: the change (command {pending.CommandId}) took effect and the previous password is no longer accepted");
            return;
        }
        var command = s.Outbox.Find(c => c.Status.CommandId == pending.CommandId);
        if (s.Profile.SecurityProfile is 1 or 2 && (command is null || command.Status.IsFinal))
        {
            s.PendingPassword = null;
            AddEvent("Security", $"the station logged in with its previous password after an unanswered change: the change (command {pending.CommandId}) did not take effect");
        }
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
