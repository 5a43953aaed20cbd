using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Csms.Gateway.Tests.Security;

/// <summary>What the CSMS owes for one input frame.</summary>
internal enum Owed
{
    /// <summary>A CALL whose id can be read: exactly one CALLRESULT or CALLERROR with that id.</summary>
    AnswerWithId,
    /// <summary>2.0.1, an unknown message type with a readable id: a CALLERROR MessageTypeNotSupported with that id (Part 4 section 4.4).</summary>
    MessageTypeNotSupported,
    /// <summary>A well-formed CALLRESULT or CALLERROR for an id the CSMS never used: nothing, since there is no call to answer.</summary>
    Nothing,
    /// <summary>Any other text: nothing, or one CALLERROR with id "-1" or the id the frame carries (Part 4 section 4.2.3).</summary>
    NothingOrError,
    /// <summary>A close with one of <see cref="FrameExpectation.CloseStatuses"/>, and no answer.</summary>
    Close,
}

/// <summary>The answer the spec requires for one frame. <see cref="Why"/> names the rule, for failure messages.</summary>
internal sealed record FrameExpectation(Owed Owed, string? MessageId, bool ResultAllowed, WebSocketCloseStatus[] CloseStatuses, string Why)
{
    public static FrameExpectation Answer(string id, bool resultAllowed) =>
        new(Owed.AnswerWithId, id, resultAllowed, [], "a CALL with a readable id is answered with that id");

    public static FrameExpectation Closing(string why, params WebSocketCloseStatus[] statuses) => new(Owed.Close, null, false, statuses, why);
}

/// <summary>
/// Works out, independently of the gateway's reader, what OCPP-J (1.6 section 4; 2.0.1 Part 4) and RFC 6455 require for a
/// frame, and checks the CSMS's answer frames against it.
/// </summary>
internal static class FuzzOracle
{
    public const int MaxMessageIdLength = 36;
    public const int MaxDescriptionLength = 255;

    // OCPP-J 1.6 section 4.2.3 table 7 with the spellings errata section 5.1 and 5.2 keep on the wire ("Occurence",
    // "FormationViolation"); the converted spec text has lost the typo in both the table and the erratum
    private static readonly HashSet<string> Codes16 = new(StringComparer.Ordinal)
    {
        "NotImplemented", "NotSupported", "InternalError", "ProtocolError", "SecurityError", "FormationViolation",
        "PropertyConstraintViolation", "OccurenceConstraintViolation", "TypeConstraintViolation", "GenericError",
    };

    // OCPP 2.0.1 Part 4 section 4.3 table 8
    private static readonly HashSet<string> Codes201 = new(StringComparer.Ordinal)
    {
        "FormatViolation", "GenericError", "InternalError", "MessageTypeNotSupported", "NotImplemented", "NotSupported",
        "OccurrenceConstraintViolation", "PropertyConstraintViolation", "ProtocolError", "RpcFrameworkError", "SecurityError",
        "TypeConstraintViolation",
    };

    // the reader, not JsonDocument: JsonDocument.Parse takes time quadratic in the nesting depth
    private static readonly JsonReaderOptions Unlimited = new() { MaxDepth = 1_000_000 };

    public static FrameExpectation Expect(FuzzInput input, int maxMessageBytes, bool v16)
    {
        var oversize = input.Bytes.Length > maxMessageBytes;
        if (input.Binary)
        {
            // the size limit may strike before the whole binary frame is in
            return oversize
                ? FrameExpectation.Closing("a binary frame over the size limit: 1003 or 1009", WebSocketCloseStatus.InvalidMessageType, WebSocketCloseStatus.MessageTooBig)
                : FrameExpectation.Closing("a binary frame: OCPP-J uses text frames only (1003)", WebSocketCloseStatus.InvalidMessageType);
        }
        var utf8 = Utf8.IsValid(input.Bytes);
        if (oversize)
        {
            return utf8
                ? FrameExpectation.Closing($"a frame over {maxMessageBytes} bytes: 1009", WebSocketCloseStatus.MessageTooBig)
                : FrameExpectation.Closing("an oversized frame that is not UTF-8: 1007 or 1009", WebSocketCloseStatus.InvalidPayloadData, WebSocketCloseStatus.MessageTooBig);
        }
        if (!utf8)
        {
            return FrameExpectation.Closing("a text frame that is not UTF-8: RFC 6455 section 8.1 fails the connection with 1007",
                WebSocketCloseStatus.InvalidPayloadData);
        }
        return TopLevel.TryRead(input.Bytes, out var frame)
            ? ExpectJson(frame, v16)
            : new(Owed.NothingOrError, HeadId(input.Bytes), false, [], "not JSON: at most a CALLERROR with -1 or the id it starts with");
    }

    private static FrameExpectation ExpectJson(TopLevel frame, bool v16)
    {
        var elements = frame.Elements;
        if (frame.Root != JsonTokenType.StartArray || elements.Count == 0)
        {
            return new(Owed.NothingOrError, null, false, [], "not an OCPP-J array: at most a CALLERROR with -1");
        }
        var length = elements.Count;
        var type = elements[0].Token == JsonTokenType.Number && IsIntegerLiteral(elements[0].Text!) ? elements[0].Text : null;
        var id = length >= 2 && elements[1] is { Token: JsonTokenType.String, Text: { Length: > 0 and <= MaxMessageIdLength } readable } ? readable : null;
        if (id is null)
        {
            return new(Owed.NothingOrError, null, false, [], "no readable message id: at most a CALLERROR with -1");
        }
        switch (type)
        {
            case "2":
                // a payload with an escaped unpaired surrogate is no Unicode text (RFC 8259 section 8.2): an error, not a result
                var wellFormed = length == 4 && elements[2] is { Token: JsonTokenType.String, Text.Length: > 0 }
                    && elements[3].Token is JsonTokenType.StartObject or JsonTokenType.Null && frame.IsUnicode;
                return FrameExpectation.Answer(id, resultAllowed: wellFormed);
            case "3" when length == 3 && elements[2].Token == JsonTokenType.StartObject:
            case "4" when length == 5 && elements[2] is { Token: JsonTokenType.String, Text: not null }
                && elements[3] is { Token: JsonTokenType.String, Text: not null } && elements[4].Token == JsonTokenType.StartObject:
                return new(Owed.Nothing, id, false, [], "a CALLRESULT or CALLERROR for an unknown id is not answered");
            case not null when !v16 && type is not ("3" or "4"):
                return new(Owed.MessageTypeNotSupported, id, false, [], "2.0.1 Part 4 section 4.4: an unknown message type is answered MessageTypeNotSupported");
            default:
                return new(Owed.NothingOrError, id, false, [], "a malformed frame: at most a CALLERROR with -1 or its id");
        }
    }

    /// <summary>The problem with the frames the CSMS sent back for one input, or null when they are what the spec allows.</summary>
    public static string? Check(FrameExpectation expected, IReadOnlyList<string> answers, bool v16)
    {
        if (answers.Count > 1)
        {
            return $"{answers.Count} answers to one frame: {string.Join(" | ", answers)}";
        }
        var answer = answers.Count == 1 ? answers[0] : null;
        switch (expected.Owed)
        {
            case Owed.Nothing when answer is not null:
            case Owed.Close when answer is not null:
                return $"expected no answer ({expected.Why}), got {answer}";
            case Owed.AnswerWithId or Owed.MessageTypeNotSupported when answer is null:
                return $"expected an answer with id '{expected.MessageId}' ({expected.Why}), got none";
        }
        if (answer is null)
        {
            return null;
        }

        if (Shape(answer, v16, out var type, out var id, out var code) is { } malformed)
        {
            return $"the answer {answer} is malformed: {malformed}";
        }
        return expected.Owed switch
        {
            Owed.AnswerWithId when id != expected.MessageId => $"expected the answer to carry id '{expected.MessageId}', got {answer}",
            Owed.AnswerWithId when type == 3 && !expected.ResultAllowed => $"a CALLRESULT to a malformed CALL: {answer}",
            Owed.MessageTypeNotSupported when id != expected.MessageId || code != "MessageTypeNotSupported" =>
                $"expected CALLERROR MessageTypeNotSupported with id '{expected.MessageId}' ({expected.Why}), got {answer}",
            Owed.NothingOrError when type != 4 => $"expected at most a CALLERROR ({expected.Why}), got {answer}",
            Owed.NothingOrError when id != "-1" && id != expected.MessageId =>
                $"expected a CALLERROR with id -1{(expected.MessageId is null ? "" : $" or '{expected.MessageId}'")} ({expected.Why}), got {answer}",
            _ => null,
        };
    }

    /// <summary>
    /// Checks a CALLRESULT (<c>[3, id, {}]</c>) or CALLERROR (<c>[4, id, code, description, {}]</c>) against OCPP-J, with an
    /// error code of the version's table and a description of at most 255 characters.
    /// </summary>
    private static string? Shape(string frame, bool v16, out int type, out string? id, out string? code)
    {
        type = 0;
        id = null;
        code = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame);
        }
        catch (JsonException)
        {
            return "not JSON";
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() < 3 || !root[0].TryGetInt32(out type) || ReadableString(root[1]) is not { } answerId)
            {
                return "not [type, id, ...]";
            }
            id = answerId;
            if (type == 3)
            {
                return root.GetArrayLength() == 3 && root[2].ValueKind == JsonValueKind.Object ? null : "a CALLRESULT is [3, id, {payload}]";
            }
            if (type != 4 || root.GetArrayLength() != 5 || ReadableString(root[2]) is not { } errorCode
                || ReadableString(root[3]) is not { } description || root[4].ValueKind != JsonValueKind.Object)
            {
                return "a CALLERROR is [4, id, code, description, {details}]";
            }
            code = errorCode;
            if (!(v16 ? Codes16 : Codes201).Contains(errorCode))
            {
                return $"'{errorCode}' is not an error code of OCPP {(v16 ? "1.6" : "2.0.1")}";
            }
            return description.Length <= MaxDescriptionLength ? null : $"the description has {description.Length} characters, more than {MaxDescriptionLength}";
        }
    }

    /// <summary>Whether the CSMS sent a CALL of its own (e.g. after a boot); those are not answers to the input.</summary>
    public static bool IsCsmsCall(string frame)
    {
        try
        {
            using var document = JsonDocument.Parse(frame);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Array && root.GetArrayLength() == 4 && root[0].ValueKind == JsonValueKind.Number
                && root[0].TryGetInt32(out var type) && type == 2;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The id of the answer frame, if it has one that can be read.</summary>
    public static string? AnswerId(string frame)
    {
        try
        {
            using var document = JsonDocument.Parse(frame);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Array && root.GetArrayLength() >= 2 ? ReadableString(root[1]) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The id a corrupt frame carries in front, as in <c>[2, "id", ... garbage</c>, when it can be read.</summary>
    private static string? HeadId(byte[] bytes)
    {
        var reader = new Utf8JsonReader(bytes, Unlimited);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray
                || !reader.Read() || reader.TokenType != JsonTokenType.Number
                || !reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return null;
            }
            var id = reader.GetString();
            return id is { Length: > 0 and <= MaxMessageIdLength } ? id : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? ReadableString(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            // an escaped unpaired surrogate (RFC 8259 section 8.2): JSON, but no Unicode text
            return null;
        }
    }

    /// <summary>Whether a number's literal text is a plain integer (no fraction, no exponent).</summary>
    private static bool IsIntegerLiteral(string number)
    {
        foreach (var c in number.StartsWith('-') ? number.AsSpan(1) : number.AsSpan())
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// A JSON text's root token and, for an array, what each top-level element is, read in one pass without building a
    /// document; a string's text is null when it is not Unicode (an escaped unpaired surrogate), a number's is its literal.
    /// </summary>
    private sealed class TopLevel
    {
        public JsonTokenType Root { get; private set; }

        public List<(JsonTokenType Token, string? Text)> Elements { get; } = [];

        /// <summary>Whether every string and property name in the text is Unicode.</summary>
        public bool IsUnicode { get; private set; } = true;

        public static bool TryRead(byte[] json, out TopLevel frame)
        {
            frame = new TopLevel();
            var reader = new Utf8JsonReader(json, Unlimited);
            try
            {
                while (reader.Read())
                {
                    if (frame.Root == JsonTokenType.None)
                    {
                        frame.Root = reader.TokenType;
                    }
                    string? text = null;
                    if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                    {
                        text = ReadableString(ref reader);
                        frame.IsUnicode &= text is not null;
                    }
                    else if (reader.TokenType == JsonTokenType.Number)
                    {
                        text = Encoding.UTF8.GetString(reader.ValueSpan);
                    }
                    // an element of the top-level array starts at depth 1; its own end token is at depth 1 too
                    if (frame.Root == JsonTokenType.StartArray && reader.CurrentDepth == 1
                        && reader.TokenType is not (JsonTokenType.EndArray or JsonTokenType.EndObject))
                    {
                        frame.Elements.Add((reader.TokenType, text));
                    }
                }
                return true;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        private static string? ReadableString(ref Utf8JsonReader reader)
        {
            try
            {
                return reader.GetString();
            }
            catch (InvalidOperationException)
            {
                // an escaped unpaired surrogate (RFC 8259 section 8.2): JSON, but no Unicode text
                return null;
            }
        }
    }
}
