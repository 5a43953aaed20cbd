using Csms.Grains.Interfaces.History;
using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Records;
using Csms.Ocpp;

namespace Csms.Grains.Stations;

[GenerateSerializer]
public sealed class StationState
{
    [Id(0)] public RegistrationStatus Registration { get; set; }
    [Id(1)] public BootInfo? Boot { get; set; }
    /// <summary>Bumped on every new socket; persisted so it stays monotonic across grain reactivations.</summary>
    [Id(2)] public long Epoch { get; set; }
    [Id(3)] public string? GatewayId { get; set; }
    [Id(4)] public OcppVersion Version { get; set; }
    [Id(5)] public DateTimeOffset? ConnectedSince { get; set; }
    [Id(6)] public string? RemoteAddress { get; set; }
    [Id(7)] public bool Connected { get; set; }
    /// <summary>1.6 transaction ids reserved from the cluster-wide allocator: [Next, BlockEnd).</summary>
    [Id(8)] public int NextTransactionId { get; set; }
    [Id(9)] public int TransactionIdBlockEnd { get; set; }
    /// <summary>Open transactions by id, to find the EVSE of a 1.6 StopTransaction or a 2.x event without <c>evse</c>.</summary>
    [Id(10)] public Dictionary<string, int> OpenTransactions { get; set; } = [];
    [Id(11)] public SortedSet<int> Evses { get; set; } = [];
    /// <summary>Answers to recent transaction messages by message id: a retry gets the same answer.</summary>
    [Id(12)] public List<CachedReply> ReplyCache { get; set; } = [];
    [Id(13)] public List<CommandRecord> Outbox { get; set; } = [];
    [Id(14)] public List<StationEvent> Events { get; set; } = [];
    [Id(15)] public string? FirmwareStatus { get; set; }
    [Id(16)] public List<StoredReport> Reports { get; set; } = [];
    [Id(17)] public DateTimeOffset? LastHeartbeat { get; set; }
    /// <summary>Actions a station may send before it is Accepted, because we asked for them (TriggerMessage, Get(Base)Report).</summary>
    [Id(18)] public HashSet<string> TriggeredActions { get; set; } = [];
    /// <summary>An operator's Accepted/Rejected overrides the registration policy.</summary>
    [Id(19)] public RegistrationStatus? OperatorDecision { get; set; }
    /// <summary>1.6 connector 0: the charge point as a whole.</summary>
    [Id(20)] public ConnectorSnapshot? StationStatus { get; set; }
    /// <summary>1.6 StartTransaction content keys of open transactions, so a retry with a new message id gets the same id.</summary>
    [Id(21)] public Dictionary<string, string> StartKeys { get; set; } = [];
    /// <summary>Events acknowledged to the station and not yet in the record store.</summary>
    [Id(22)] public RecordOutbox<SequencedEvent> EventOutbox { get; set; } = new();
    /// <summary>Finished commands not yet in the record store's command history.</summary>
    [Id(23)] public RecordOutbox<StoredCommand> CommandHistoryOutbox { get; set; } = new();
    /// <summary>Set through the registration API.</summary>
    [Id(24)] public StationProfile Profile { get; set; } = new();
    /// <summary>The configuration / device model as the station last reported it (see <see cref="ConfigurationSnapshot"/>).</summary>
    [Id(25)] public Dictionary<string, ConfigurationValue> Configuration { get; set; } = [];
    /// <summary>
    /// A password change sent (or queued) whose outcome is not known yet: its hash is accepted besides the current
    /// one until the station answers, or until it logs in with one of the two.
    /// </summary>
    [Id(26)] public PendingPassword? PendingPassword { get; set; }
}

[GenerateSerializer]
public sealed record PendingPassword([property: Id(0)] string CommandId, [property: Id(1)] string Hash);

[GenerateSerializer]
public sealed record CachedReply([property: Id(0)] string MessageId, [property: Id(1)] string Action, [property: Id(2)] string PayloadJson);

[GenerateSerializer]
public sealed record StoredReport(
    [property: Id(0)] int RequestId,
    [property: Id(1)] int SeqNo,
    [property: Id(2)] DateTimeOffset GeneratedAt,
    [property: Id(3)] string PayloadJson);

[GenerateSerializer]
public sealed class CommandRecord
{
    [Id(0)] public required CommandStatus Status { get; set; }
    [Id(1)] public string? IdempotencyKey { get; set; }
    /// <summary>The payload with its secret, until sent (see <see cref="CommandRequest.SendPayloadJson"/>).</summary>
    [Id(2)] public string? SendPayloadJson { get; set; }
    [Id(3)] public string? NewPasswordHash { get; set; }
}
