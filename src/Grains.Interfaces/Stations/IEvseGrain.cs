using Csms.Grains.Interfaces.Transactions;

namespace Csms.Grains.Interfaces.Stations;

/// <summary>One EVSE of a station, keyed <c>{station}/{evseId}</c>. Only its station grain calls it.</summary>
public interface IEvseGrain : IGrainWithStringKey
{
    Task UpdateConnector(ConnectorStatusUpdate update);

    /// <summary>Applies a transaction message; returns only once it is durably recorded.</summary>
    Task<TransactionEventOutcome> ApplyTransactionEvent(TransactionEventData data);

    /// <summary>Meter values outside a transaction (or for a transaction this EVSE does not know).</summary>
    Task RecordMeterValues(IReadOnlyList<MeterSample> samples);

    [ReadOnly]
    Task<EvseSnapshot> GetSnapshot();
}

[GenerateSerializer, Immutable]
public sealed record ConnectorStatusUpdate(
    [property: Id(0)] int ConnectorId,
    [property: Id(1)] string Status,
    [property: Id(2)] string? ErrorCode,
    [property: Id(3)] DateTimeOffset Timestamp);

[GenerateSerializer, Immutable]
public sealed record ConnectorSnapshot(
    [property: Id(0)] int ConnectorId,
    [property: Id(1)] string Status,
    [property: Id(2)] string? ErrorCode,
    [property: Id(3)] DateTimeOffset Since);

[GenerateSerializer, Immutable]
public sealed record EvseSnapshot(
    [property: Id(0)] int EvseId,
    [property: Id(1)] IReadOnlyList<ConnectorSnapshot> Connectors,
    [property: Id(2)] TransactionSnapshot? ActiveTransaction,
    [property: Id(3)] IReadOnlyList<TransactionSnapshot> RecentTransactions,
    [property: Id(4)] IReadOnlyList<MeterSample> LastMeterValues);
