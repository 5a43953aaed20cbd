using Csms.Grains.Interfaces.Authorization;
using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Interfaces.Transactions;

namespace Csms.Grains.Interfaces.History;

/// <summary>
/// One page of a list. <see cref="NextCursor"/> is opaque to callers: pass it back to get the next page; null when
/// there is no more. Cursors are keyset positions, so a page never repeats or skips a row because rows were added.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Page<T>([property: Id(0)] IReadOnlyList<T> Items, [property: Id(1)] string? NextCursor);

/// <summary>Station list filters; every filter is optional, <see cref="Limit"/> is 1..500.</summary>
[GenerateSerializer, Immutable]
public sealed record StationQuery(
    [property: Id(0)] string? Site = null,
    [property: Id(1)] bool? Connected = null,
    [property: Id(2)] RegistrationStatus? Registration = null,
    [property: Id(3)] string? OcppVersion = null,
    [property: Id(4)] string? Vendor = null,
    [property: Id(5)] string? Model = null,
    [property: Id(6)] int Limit = 100,
    [property: Id(7)] string? Cursor = null);

/// <summary>A station as the registry knows it (the list view; the live view is the station grain's snapshot).</summary>
[GenerateSerializer, Immutable]
public sealed record StationSummary(
    [property: Id(0)] string StationId,
    [property: Id(1)] string? Site,
    [property: Id(2)] string? Description,
    [property: Id(3)] string? Vendor,
    [property: Id(4)] string? Model,
    [property: Id(5)] string? SerialNumber,
    [property: Id(6)] string? FirmwareVersion,
    [property: Id(7)] RegistrationStatus Registration,
    [property: Id(8)] string? OcppVersion,
    [property: Id(9)] bool Connected,
    [property: Id(10)] string? GatewayId,
    [property: Id(11)] DateTimeOffset? LastSeen);

/// <summary>
/// Completed transactions from the ledger. Time range: a transaction is in [From, To) when its start (its end if the
/// start was never received) is. Newest first.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TransactionQuery(
    [property: Id(0)] string? StationId = null,
    [property: Id(1)] string? IdToken = null,
    [property: Id(2)] DateTimeOffset? From = null,
    [property: Id(3)] DateTimeOffset? To = null,
    [property: Id(4)] int Limit = 100,
    [property: Id(5)] string? Cursor = null);

/// <summary>A ledger row: the station and the transaction as completed.</summary>
[GenerateSerializer, Immutable]
public sealed record LedgerTransaction(
    [property: Id(0)] string StationId,
    [property: Id(1)] TransactionSnapshot Transaction,
    [property: Id(2)] DateTimeOffset RecordedAt);

/// <summary>One stored meter value of a transaction (or of an EVSE outside one).</summary>
[GenerateSerializer, Immutable]
public sealed record StoredMeterValue(
    [property: Id(0)] int EvseId,
    [property: Id(1)] long Seq,
    [property: Id(2)] string? TransactionId,
    [property: Id(3)] MeterSample Sample);

/// <summary>A station event with the sequence number its station grain gave it.</summary>
[GenerateSerializer, Immutable]
public sealed record StoredStationEvent(
    [property: Id(0)] string StationId,
    [property: Id(1)] long Seq,
    [property: Id(2)] StationEvent Event);

/// <summary>
/// Station events, newest first; <see cref="Kind"/> filters on the event kind (e.g. "Connected"), <see cref="DetailPrefix"/>
/// on the start of the detail (a transaction's events: kind "Transaction", detail prefix "{transactionId}:").
/// </summary>
[GenerateSerializer, Immutable]
public sealed record EventQuery(
    [property: Id(0)] string StationId,
    [property: Id(1)] string? Kind = null,
    [property: Id(2)] DateTimeOffset? From = null,
    [property: Id(3)] DateTimeOffset? To = null,
    [property: Id(4)] int Limit = 100,
    [property: Id(5)] string? Cursor = null,
    [property: Id(6)] string? DetailPrefix = null);

/// <summary>A finished command as the record store keeps it (the station grain keeps only the latest ones).</summary>
[GenerateSerializer, Immutable]
public sealed record StoredCommand(
    [property: Id(0)] string StationId,
    [property: Id(1)] long Seq,
    [property: Id(2)] CommandStatus Command);

/// <summary>A station's finished commands, newest first.</summary>
[GenerateSerializer, Immutable]
public sealed record CommandQuery(
    [property: Id(0)] string StationId,
    [property: Id(1)] string? Action = null,
    [property: Id(2)] int Limit = 100,
    [property: Id(3)] string? Cursor = null);

/// <summary>
/// Read-only queries over the registry, the ledger and the record store. A stateless worker: it runs on whichever
/// silo the caller reaches, so the gateways never open a database connection of their own.
/// </summary>
public interface IHistoryGrain : IGrainWithIntegerKey
{
    Task<Page<StationSummary>> ListStations(StationQuery query);

    Task<Page<LedgerTransaction>> ListTransactions(TransactionQuery query);

    /// <summary>A completed transaction and its stored meter values (oldest first); null if the ledger has no such row.</summary>
    Task<TransactionDetail?> GetTransaction(string stationId, string transactionId);

    Task<Page<StoredStationEvent>> ListEvents(EventQuery query);

    Task<Page<StoredCommand>> ListCommands(CommandQuery query);

    /// <summary>The meter values stored so far for a transaction (e.g. an active one), oldest first.</summary>
    Task<IReadOnlyList<StoredMeterValue>> GetTransactionMeterValues(string stationId, string transactionId);

    /// <summary>Id tokens set through the API.</summary>
    Task<Page<IdTokenEntry>> ListIdTokens(IdTokenQuery query);
}

[GenerateSerializer, Immutable]
public sealed record TransactionDetail(
    [property: Id(0)] LedgerTransaction Transaction,
    [property: Id(1)] IReadOnlyList<StoredMeterValue> MeterValues);
