using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
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
    private const int MaxDepth = 64;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow };

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
            // the whole message is one JSON value: Read throws on a second message or trailing junk after it
            if (reader.Read())
            {
                throw new JsonException("more than one JSON value");
            }
        }
        catch (JsonException)
        {
            error = Corrupt(utf8, version);
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
        if (length == 0 || root[0].ValueKind != JsonValueKind.Number || !TryReadType(JsonMarshal.GetRawUtf8Value(root[0]), out var type))
        {
            error = Unreadable(length < 3 ? "message has fewer than 3 elements" : "MessageTypeId is not an integer");
            return false;
        }

        string? idProblem = null;
        var messageId = length >= 2 ? ReadMessageId(root[1], out idProblem) : null;
        if (!IsSupported(type, version))
        {
            error = new FrameError(messageId ?? FrameError.UnreadableMessageId, OcppErrorCode.MessageTypeNotSupported,
                $"MessageTypeId {Shown(JsonMarshal.GetRawUtf8Value(root[0]))} is not supported in OCPP {version.Number()}", FrameErrorReply.CallError);
            return false;
        }

        if (messageId is null)
        {
            error = length < 3
                ? Unreadable("message has fewer than 3 elements")
                : new FrameError(FrameError.UnreadableMessageId, OcppErrorCode.RpcFrameworkError, idProblem!,
                    type is OcppMessageType.Call ? FrameErrorReply.CallError : FrameErrorReply.None);
            return false;
        }
        if (length < 3)
        {
            // [2, "id"] is broken, but its id can be read: the answer carries it
            error = Broken(type, messageId, OcppErrorCode.RpcFrameworkError, "message has fewer than 3 elements", version);
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
                if (!IsUnicode(resultPayload))
                {
                    error = NotAnswered(messageId, OcppErrorCode.FormatViolation, NotUnicode("CALLRESULT payload"), version);
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
        if (actionElement.ValueKind == JsonValueKind.String && !IsUnicode(actionElement))
        {
            error = new FrameError(messageId, OcppErrorCode.RpcFrameworkError, NotUnicode("Action"), reply);
            return false;
        }
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
        if (!IsUnicode(payload))
        {
            error = new FrameError(messageId, OcppErrorCode.FormatViolation, NotUnicode("payload"), reply);
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
            || root[2].ValueKind != JsonValueKind.String || !IsUnicode(root[2])
            || root[3].ValueKind != JsonValueKind.String || !IsUnicode(root[3]))
        {
            error = new FrameError(messageId, OcppErrorCode.RpcFrameworkError, "CALLERROR must be [4, id, code, description, details]", FrameErrorReply.None);
            return false;
        }
        var details = length == 5 && root[4].ValueKind == JsonValueKind.Object && IsUnicode(root[4]) ? root[4] : EmptyObject;
        frame = new CallErrorFrame(type, messageId, root[2].GetString()!, root[3].GetString()!, details);
        error = null;
        return true;
    }

    /// <summary>
    /// The answer owed to a message that is not JSON (or nests too deep) but starts like one, <c>[2, "id", ...</c>: its id
    /// can be read, so the answer carries it (OCPP-J 2.0.1 Part 4 4.2.3 uses "-1" only when the id cannot be read).
    /// </summary>
    private static FrameError Corrupt(ReadOnlySpan<byte> utf8, OcppVersion version)
    {
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        var type = default(OcppMessageType);
        var shownType = "";
        string? messageId = null;
        var description = "message is not valid JSON";
        try
        {
            if (reader.Read() && reader.TokenType == JsonTokenType.StartArray
                && reader.Read() && reader.TokenType == JsonTokenType.Number && TryReadType(reader.ValueSpan, out type))
            {
                shownType = Shown(reader.ValueSpan);
                if (reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    messageId = ReadMessageId(ref reader);
                }
            }
            while (reader.Read())
            {
                // on to where it breaks, to say why
            }
        }
        catch (JsonException) when (reader.CurrentDepth >= MaxDepth - 1)
        {
            description = $"message nests deeper than {MaxDepth} levels";
        }
        catch (JsonException)
        {
            // a syntax error
        }

        if (messageId is null)
        {
            return Unreadable(description);
        }
        return IsSupported(type, version)
            ? Broken(type, messageId, OcppErrorCode.RpcFrameworkError, description, version)
            : new FrameError(messageId, OcppErrorCode.MessageTypeNotSupported,
                $"MessageTypeId {shownType} is not supported in OCPP {version.Number()}", FrameErrorReply.CallError);
    }

    /// <summary>The answer owed for a frame of a supported type, with a readable id, that cannot be read further.</summary>
    private static FrameError Broken(OcppMessageType type, string messageId, OcppErrorCode code, string description, OcppVersion version) => type switch
    {
        OcppMessageType.Call => new FrameError(messageId, code, description, FrameErrorReply.CallError),
        OcppMessageType.CallResult => NotAnswered(messageId, code, description, version),
        // a broken error answer, or a SEND: never answered
        _ => new FrameError(messageId, code, description, FrameErrorReply.None),
    };

    private static bool IsSupported(OcppMessageType type, OcppVersion version) =>
        type is OcppMessageType.Call or OcppMessageType.CallResult or OcppMessageType.CallError
        || (version == OcppVersion.V21 && type is OcppMessageType.CallResultError or OcppMessageType.Send);

    /// <summary>
    /// An integer MessageTypeId from the number's text; one beyond 32 bits is read as a type no version defines rather than
    /// as "not an integer", and 2.0 or 2e0 are not integers here.
    /// </summary>
    private static bool TryReadType(ReadOnlySpan<byte> number, out OcppMessageType type)
    {
        if (int.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            type = (OcppMessageType)value;
            return true;
        }
        type = default;
        return number[number[0] == '-' ? 1.. : 0..].IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;
    }

    private static string Shown(ReadOnlySpan<byte> number) =>
        number.Length <= 12 ? Encoding.UTF8.GetString(number) : Encoding.UTF8.GetString(number[..12]) + "…";

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
        if (!IsUnicode(element))
        {
            problem = NotUnicode("MessageId");
            return null;
        }
        return CheckLength(element.GetString()!, out problem);
    }

    private static string? ReadMessageId(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped && JsonUnicode.HasUnpairedSurrogateEscape(reader.ValueSpan))
        {
            return null;
        }
        return CheckLength(reader.GetString()!, out _);
    }

    private static string? CheckLength(string id, out string? problem)
    {
        if (id.Length is 0 or > MaxMessageIdLength)
        {
            problem = $"MessageId must be 1 to {MaxMessageIdLength} characters";
            return null;
        }
        problem = null;
        return id;
    }

    private static bool IsUnicode(JsonElement element) => !JsonUnicode.HasUnpairedSurrogateEscape(JsonMarshal.GetRawUtf8Value(element));

    private static string NotUnicode(string what) => $"{what} holds a \\u escape of an unpaired surrogate, which is not Unicode text";

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
