namespace Csms.Grains.Interfaces.Stations;

/// <summary>A CSMS-initiated call for the station's outbox. The payload has been validated against the station's version.</summary>
[GenerateSerializer, Immutable]
public sealed record CommandRequest(
    [property: Id(0)] string Action,
    [property: Id(1)] string PayloadJson,
    [property: Id(2)] TimeSpan Timeout,
    [property: Id(3)] string? IdempotencyKey = null);

public enum CommandState
{
    Queued,
    Sent,
    Accepted,
    Rejected,
    CallError,
    TimedOut,
    Cancelled,
}

[GenerateSerializer, Immutable]
public sealed record CommandStatus(
    [property: Id(0)] string CommandId,
    [property: Id(1)] string Action,
    [property: Id(2)] CommandState State,
    [property: Id(3)] DateTimeOffset QueuedAt,
    [property: Id(4)] DateTimeOffset? SentAt,
    [property: Id(5)] DateTimeOffset? CompletedAt,
    [property: Id(6)] string? ResponseJson,
    [property: Id(7)] string? ErrorCode,
    [property: Id(8)] string? ErrorDescription,
    [property: Id(9)] string PayloadJson,
    [property: Id(10)] TimeSpan Timeout)
{
    public bool IsFinal => State is not (CommandState.Queued or CommandState.Sent);
}
