namespace Csms.Grains.Interfaces.Transactions;

[GenerateSerializer, Immutable]
public sealed record TransactionSnapshot(
    [property: Id(0)] string TransactionId,
    [property: Id(1)] int EvseId,
    [property: Id(2)] int? ConnectorId,
    [property: Id(3)] string? IdToken,
    [property: Id(4)] DateTimeOffset? StartedAt,
    [property: Id(5)] DateTimeOffset? EndedAt,
    [property: Id(6)] decimal? MeterStartWh,
    [property: Id(7)] decimal? MeterLastWh,
    [property: Id(8)] decimal? EnergyWh,
    [property: Id(9)] string? ChargingState,
    [property: Id(10)] string? StoppedReason,
    /// <summary>The first missing seqNos (at most 100); <see cref="MissingSeqNoCount"/> counts them all.</summary>
    [property: Id(11)] IReadOnlyList<int> MissingSeqNos,
    [property: Id(12)] int OfflineEvents,
    [property: Id(13)] int EventsReceived,
    [property: Id(14)] bool Active,
    [property: Id(15)] IReadOnlyList<string> Flags,
    [property: Id(16)] long MissingSeqNoCount);
