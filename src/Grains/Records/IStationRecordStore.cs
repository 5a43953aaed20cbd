using Csms.Grains.Interfaces.History;
using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Interfaces.Transactions;

namespace Csms.Grains.Records;

/// <summary>
/// Where station history goes: events, meter values and finished commands (append-only, in batches, idempotent on their
/// sequence numbers) and the station registry; and the queries over them. Cluster mode writes PostgreSQL; standalone
/// mode keeps it in memory.
/// </summary>
/// <remarks>
/// The lists are keyset pages: a cursor that is not a NextCursor of the same list throws <see cref="ArgumentException"/>,
/// a limit outside 1..500 <see cref="ArgumentOutOfRangeException"/>.
/// </remarks>
public interface IStationRecordStore
{
    Task AppendEventsAsync(string stationId, IReadOnlyList<SequencedEvent> events, CancellationToken cancellationToken = default);

    Task AppendMeterValuesAsync(string stationId, int evseId, IReadOnlyList<SequencedSample> samples, CancellationToken cancellationToken = default);

    /// <summary>Finished commands; the seq is the station grain's, and a command already stored under it is left as it is.</summary>
    Task AppendCommandsAsync(string stationId, IReadOnlyList<StoredCommand> commands, CancellationToken cancellationToken = default);

    Task UpsertStationAsync(StationRegistryEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Takes a station out of the registry (and so out of station lists); its history stays, for billing and audit.</summary>
    Task RemoveStationAsync(string stationId, CancellationToken cancellationToken = default);

    /// <summary>Registry entries matching every filter given, by station id.</summary>
    Task<Page<StationSummary>> ListStationsAsync(StationQuery query, CancellationToken cancellationToken = default);

    /// <summary>A station's events, newest (highest seq) first; the time range [From, To) is on the event's timestamp.</summary>
    Task<Page<StoredStationEvent>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken = default);

    /// <summary>A station's finished commands, newest (highest seq) first.</summary>
    Task<Page<StoredCommand>> ListCommandsAsync(CommandQuery query, CancellationToken cancellationToken = default);

    /// <summary>The meter values stored for a transaction, oldest first (by sample time, then EVSE and seq).</summary>
    Task<IReadOnlyList<StoredMeterValue>> ListTransactionMeterValuesAsync(string stationId, string transactionId, CancellationToken cancellationToken = default);
}

[GenerateSerializer, Immutable]
public sealed record SequencedEvent([property: Id(0)] long Seq, [property: Id(1)] StationEvent Event);

[GenerateSerializer, Immutable]
public sealed record SequencedSample([property: Id(0)] long Seq, [property: Id(1)] string? TransactionId, [property: Id(2)] MeterSample Sample);

/// <summary>A registry row. <see cref="Site"/> and <see cref="Description"/> are the operator's labels, written as given (null clears them).</summary>
public sealed record StationRegistryEntry(
    string StationId,
    BootInfo? Boot,
    RegistrationStatus Registration,
    string? OcppVersion,
    bool Connected,
    string? GatewayId,
    DateTimeOffset LastSeen,
    string? Site = null,
    string? Description = null);
