using System.Text.Json;

namespace Csms.Ocpp.Framing;

/// <summary>
/// Reads OCPP-J frames strictly by the version's rules. It never throws on bad input: every failure
/// becomes a <see cref="FrameError"/> carrying the answer the spec requires.
/// </summary>
public static class OcppFrameReader
{
    public const int MaxMessageIdLength = 36;

    // deep nesting is never legitimate in OCPP payloads and costs stack; 64 is far above any schema
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Disallow };

    public static bool TryRead(ReadOnlySpan<byte> utf8, OcppVersion version, out OcppFrame? frame, out FrameError? error)
    {
        frame = null;
        // OCPP-J 4.1.2: the whole message is UTF-8; the JSON reader only checks string contents when they are read
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            error = Unreadable("message is not valid UTF-8");
            return false;
        }
        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(utf8, ReaderOptions);
            root = JsonElement.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            error = Unreadable("message is not valid JSON");
            return false;
        }
        catch (ArgumentException)
        {
            // invalid UTF-8 surfaces as ArgumentException from the reader in some paths
            error = Unreadable("message is not valid UTF-8 JSON");
            return false;
        }

        return TryRead(root, version, out frame, out error);
    }

    public static bool TryRead(string text, OcppVersion version, out OcppFrame? frame, out FrameError? error) =>
        TryRead(System.Text.Encoding.UTF8.GetBytes(text), version, out frame, out error);

    public static bool TryRead(JsonElement root, OcppVersion version, out OcppFrame? frame, out FrameError? error)
    {
        frame = null;
        if (root.ValueKind != JsonValueKind.Array)
        {
            error = Unreadable("message is not a JSON array");
            return false;
        }

        var length = root.GetArrayLength();
        if (length < 3)
        {
            error = Unreadable("message has fewer than 3 elements");
            return false;
        }

        var typeElement = root[0];
        if (typeElement.ValueKind != JsonValueKind.Number || !typeElement.TryGetInt32(out var typeNumber))
        {
            error = Unreadable("MessageTypeId is not an integer");
            return false;
        }

        var idElement = root[1];
        var messageId = ReadMessageId(idElement, out var idProblem);
        var type = (OcppMessageType)typeNumber;
        var supported = type is OcppMessageType.Call or OcppMessageType.CallResult or OcppMessageType.CallError
            || (version == OcppVersion.V21 && type is OcppMessageType.CallResultError or OcppMessageType.Send);
        if (!supported)
        {
            error = new FrameError(messageId ?? FrameError.UnreadableMessageId, OcppErrorCode.MessageTypeNotSupported,
                $"MessageTypeId {typeNumber} is not supported in OCPP {version.Number()}", FrameErrorReply.CallError);
            return false;
        }

        if (messageId is null)
        {
            error = new FrameError(FrameError.UnreadableMessageId, OcppErrorCode.RpcFrameworkError, idProblem!,
                type is OcppMessageType.Call ? FrameErrorReply.CallError : FrameErrorReply.None);
            return false;
        }

        switch (type)
        {
            case OcppMessageType.Call:
            case OcppMessageType.Send:
                return ReadCall(root, length, type, messageId, out frame, out error);
            case OcppMessageType.CallResult:
                if (length != 3)
                {
                    error = NotAnswered(messageId, OcppErrorCode.RpcFrameworkError, "CALLRESULT must have exactly 3 elements", version);
                    return false;
                }
                if (!TryPayload(root[2], out var resultPayload))
                {
                    error = NotAnswered(messageId, OcppErrorCode.FormatViolation, "CALLRESULT payload is not a JSON object", version);
                    return false;
                }
                frame = new CallResultFrame(messageId, resultPayload);
                error = null;
                return true;
            default:
                return ReadError(root, length, type, messageId, out frame, out error);
        }
    }

    private static bool ReadCall(JsonElement root, int length, OcppMessageType type, string messageId, out OcppFrame? frame, out FrameError? error)
    {
        frame = null;
        var reply = type == OcppMessageType.Call ? FrameErrorReply.CallError : FrameErrorReply.None;
        var name = type == OcppMessageType.Call ? "CALL" : "SEND";
        if (length != 4)
        {
            error = new FrameError(messageId, OcppErrorCode.RpcFrameworkError, $"{name} must have exactly 4 elements", reply);
            return false;
        }
        var actionElement = root[2];
        if (actionElement.ValueKind != JsonValueKind.String || actionElement.GetString() is not { Length: > 0 } action)
        {
            error = new FrameError(messageId, OcppErrorCode.RpcFrameworkError, "Action is not a non-empty string", reply);
            return false;
        }
        if (!TryPayload(root[3], out var payload))
        {
            error = new FrameError(messageId, OcppErrorCode.FormatViolation, "payload is not a JSON object", reply);
            return false;
        }
        frame = type == OcppMessageType.Call ? new CallFrame(messageId, action, payload) : new SendFrame(messageId, action, payload);
        error = null;
        return true;
    }

    private static bool ReadError(JsonElement root, int length, OcppMessageType type, string messageId, out OcppFrame? frame, out FrameError? error)
    {
        frame = null;
        // be lenient with what peers send here: details are optional in practice, a 4-element error is still an answer
        if (length is < 4 or > 5
            || root[2].ValueKind != JsonValueKind.String
            || root[3].ValueKind != JsonValueKind.String)
        {
            error = new FrameError(messageId, OcppErrorCode.RpcFrameworkError, "CALLERROR must be [4, id, code, description, details]", FrameErrorReply.None);
            return false;
        }
        var details = length == 5 && root[4].ValueKind == JsonValueKind.Object ? root[4] : EmptyObject;
        frame = new CallErrorFrame(type, messageId, root[2].GetString()!, root[3].GetString()!, details);
        error = null;
        return true;
    }

    private static FrameError NotAnswered(string messageId, OcppErrorCode code, string description, OcppVersion version) =>
        new(messageId, code, description, version == OcppVersion.V21 ? FrameErrorReply.CallResultError : FrameErrorReply.None);

    private static FrameError Unreadable(string description) =>
        new(FrameError.UnreadableMessageId, OcppErrorCode.RpcFrameworkError, description, FrameErrorReply.CallError);

    private static string? ReadMessageId(JsonElement element, out string? problem)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            problem = "MessageId is not a string";
            return null;
        }
        var id = element.GetString()!;
        if (id.Length is 0 or > MaxMessageIdLength)
        {
            problem = $"MessageId must be 1 to {MaxMessageIdLength} characters";
            return null;
        }
        problem = null;
        return id;
    }

    // OCPP-J 4.1.5: a payload-less message may be written as null or {}; both mean the empty object
    private static bool TryPayload(JsonElement element, out JsonElement payload)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                payload = element;
                return true;
            case JsonValueKind.Null:
                payload = EmptyObject;
                return true;
            default:
                payload = default;
                return false;
        }
    }

    public static JsonElement EmptyObject { get; } = JsonElement.Parse("{}"u8);
}
