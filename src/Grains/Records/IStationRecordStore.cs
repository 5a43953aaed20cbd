using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Interfaces.Transactions;

namespace Csms.Grains.Records;

/// <summary>
/// Where station history goes: events and meter values (append-only, in batches, idempotent on their sequence
/// numbers) and the station registry. Cluster mode writes PostgreSQL; standalone mode keeps it in memory.
/// </summary>
public interface IStationRecordStore
{
    Task AppendEventsAsync(string stationId, IReadOnlyList<SequencedEvent> events, CancellationToken cancellationToken = default);

    Task AppendMeterValuesAsync(string stationId, int evseId, IReadOnlyList<SequencedSample> samples, CancellationToken cancellationToken = default);

    Task UpsertStationAsync(StationRegistryEntry entry, CancellationToken cancellationToken = default);
}

[GenerateSerializer, Immutable]
public sealed record SequencedEvent([property: Id(0)] long Seq, [property: Id(1)] StationEvent Event);

[GenerateSerializer, Immutable]
public sealed record SequencedSample([property: Id(0)] long Seq, [property: Id(1)] string? TransactionId, [property: Id(2)] MeterSample Sample);

public sealed record StationRegistryEntry(
    string StationId,
    BootInfo? Boot,
    RegistrationStatus Registration,
    string? OcppVersion,
    bool Connected,
    string? GatewayId,
    DateTimeOffset LastSeen);
