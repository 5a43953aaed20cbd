namespace Csms.Grains.Interfaces.Stations;

/// <summary>A CSMS-initiated call for the station's outbox. The payload has been validated against the station's version.</summary>
[GenerateSerializer, Immutable]
public sealed record CommandRequest(
    [property: Id(0)] string Action,
    [property: Id(1)] string PayloadJson,
    [property: Id(2)] TimeSpan Timeout,
    [property: Id(3)] string? IdempotencyKey = null,
    /// <summary>False: if the station is not connected now, the command is not queued but cancelled at once (fail fast).</summary>
    [property: Id(4)] bool WaitIfOffline = true,
    /// <summary>How long the command may wait in the queue before it expires unsent; null for the configured default.</summary>
    [property: Id(5)] TimeSpan? ExpiresAfter = null,
    /// <summary>Who asked (an API key's name, "site balancer"…), for the command history.</summary>
    [property: Id(6)] string? RequestedBy = null,
    /// <summary>
    /// What is actually sent when <see cref="PayloadJson"/> has a secret redacted (a new password): kept only until the
    /// command is sent, never shown or written to the history.
    /// </summary>
    [property: Id(7)] string? SendPayloadJson = null,
    /// <summary>
    /// This command gives the station a new HTTP Basic password (SetVariables SecurityCtrlr.BasicAuthPassword, 1.6
    /// ChangeConfiguration AuthorizationKey): its salted hash. The old password stays valid until the station accepts
    /// (A01.FR.03/04).
    /// </summary>
    [property: Id(8)] string? NewPasswordHash = null);

/// <summary>Error codes the CSMS itself puts on a command it refused before sending it.</summary>
public static class CommandRefusals
{
    /// <summary>The station's outbox already holds <c>Csms:MaxQueuedCommands</c> unsent commands.</summary>
    public const string OutboxFull = "OutboxFull";

    /// <summary>A password change while an earlier one has been sent and its answer is not in yet.</summary>
    public const string PasswordChangeInProgress = "PasswordChangeInProgress";
}

public enum CommandState
{
    Queued,
    Sent,
    Accepted,
    Rejected,
    CallError,
    TimedOut,
    Cancelled,
    /// <summary>Never sent: the station did not connect (or was not idle) before the command's expiry.</summary>
    Expired,
}

/// <summary>The command after a cancel request, and whether this request cancelled it.</summary>
[GenerateSerializer, Immutable]
public sealed record CommandCancellation([property: Id(0)] CommandStatus Command, [property: Id(1)] bool Cancelled);

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
    [property: Id(10)] TimeSpan Timeout,
    [property: Id(11)] DateTimeOffset? ExpiresAt = null,
    [property: Id(12)] string? RequestedBy = null)
{
    public bool IsFinal => State is not (CommandState.Queued or CommandState.Sent);
}
