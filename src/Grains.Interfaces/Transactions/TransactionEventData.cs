namespace Csms.Grains.Interfaces.Transactions;

public enum TransactionEventKind
{
    Started,
    Updated,
    Ended,
}

/// <summary>
/// A transaction message in version-neutral form: a 1.6 StartTransaction / MeterValues / StopTransaction, or a
/// 2.0.1 TransactionEvent, after the station grain has mapped it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TransactionEventData(
    [property: Id(0)] string TransactionId,
    [property: Id(1)] TransactionEventKind Kind,
    [property: Id(2)] DateTimeOffset Timestamp,
    [property: Id(3)] int? SeqNo,
    [property: Id(4)] bool Offline,
    [property: Id(5)] string? TriggerReason,
    [property: Id(6)] string? ChargingState,
    [property: Id(7)] string? IdToken,
    [property: Id(8)] int? ConnectorId,
    [property: Id(9)] decimal? MeterWh,
    [property: Id(10)] IReadOnlyList<MeterSample> Samples,
    [property: Id(11)] string? StoppedReason,
    [property: Id(12)] string SourceMessageId,
    /// <summary>When the CSMS received it: a timestamp far from this is flagged (FutureTimestamp, StaleTimestamp).</summary>
    [property: Id(13)] DateTimeOffset? ReceivedAt = null);

/// <summary>One sampled value, normalised: energy in Wh, power in W, current in A (unit and multiplier applied).</summary>
[GenerateSerializer, Immutable]
public sealed record MeterSample(
    [property: Id(0)] DateTimeOffset Timestamp,
    [property: Id(1)] string Measurand,
    [property: Id(2)] decimal Value,
    [property: Id(3)] string? Unit,
    [property: Id(4)] string? Phase,
    [property: Id(5)] string? Context,
    [property: Id(6)] string? Location);

public enum TransactionEventResult
{
    Applied,
    /// <summary>Already recorded (same seqNo or same message): the station gets the same answer, nothing is recorded twice.</summary>
    Duplicate,
}

[GenerateSerializer, Immutable]
public sealed record TransactionEventOutcome(
    [property: Id(0)] TransactionEventResult Result,
    [property: Id(1)] TransactionSnapshot Transaction);
