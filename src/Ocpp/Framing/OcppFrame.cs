using System.Text.Json;

namespace Csms.Ocpp.Framing;

/// <summary>One OCPP-J message as read off the wire. Payloads are standalone elements (no document to dispose).</summary>
public abstract record OcppFrame(OcppMessageType Type, string MessageId);

/// <summary><c>[2, id, action, payload]</c></summary>
public sealed record CallFrame(string MessageId, string Action, JsonElement Payload) : OcppFrame(OcppMessageType.Call, MessageId);

/// <summary><c>[3, id, payload]</c></summary>
public sealed record CallResultFrame(string MessageId, JsonElement Payload) : OcppFrame(OcppMessageType.CallResult, MessageId);

/// <summary><c>[4, id, code, description, details]</c>, or <c>[5, ...]</c> (CALLRESULTERROR, 2.1).</summary>
public sealed record CallErrorFrame(OcppMessageType ErrorType, string MessageId, string ErrorCode, string Description, JsonElement Details)
    : OcppFrame(ErrorType, MessageId);

/// <summary><c>[6, id, action, payload]</c> (2.1).</summary>
public sealed record SendFrame(string MessageId, string Action, JsonElement Payload) : OcppFrame(OcppMessageType.Send, MessageId);
