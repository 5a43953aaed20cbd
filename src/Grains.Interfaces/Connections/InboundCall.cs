namespace Csms.Grains.Interfaces.Connections;

/// <summary>A schema-valid CALL from a station, as the gateway forwards it.</summary>
[GenerateSerializer, Immutable]
public sealed record InboundCall(
    [property: Id(0)] string MessageId,
    [property: Id(1)] string Action,
    [property: Id(2)] string PayloadJson);

/// <summary>The answer to an <see cref="InboundCall"/>: a CALLRESULT payload, or a CALLERROR.</summary>
[GenerateSerializer, Immutable]
public sealed record CallReply(
    [property: Id(0)] string? PayloadJson,
    [property: Id(1)] Csms.Ocpp.Framing.OcppErrorCode? ErrorCode,
    [property: Id(2)] string? ErrorDescription,
    [property: Id(3)] bool Superseded = false,
    [property: Id(4)] bool LinkMissing = false)
{
    public static CallReply Result(string payloadJson) => new(payloadJson, null, null);

    public static CallReply Error(Csms.Ocpp.Framing.OcppErrorCode code, string description) => new(null, code, description);

    /// <summary>The call came over a socket that a newer connection replaced: the gateway answers and closes it.</summary>
    public static CallReply SupersededConnection { get; } = new(null, Csms.Ocpp.Framing.OcppErrorCode.SecurityError,
        "this connection was replaced by a newer connection for the same station", Superseded: true);

    public bool IsError => ErrorCode is not null;

    // LinkMissing: the grain was re-activated (e.g. on another silo after a failure) and cannot reach this socket
    // until its gateway re-announces it; the gateway does so at once when it sees this.
}

/// <summary>What the grain answers to <c>Connect</c>: the epoch every later call of this socket must carry.</summary>
[GenerateSerializer, Immutable]
public sealed record ConnectResult([property: Id(0)] long Epoch);
