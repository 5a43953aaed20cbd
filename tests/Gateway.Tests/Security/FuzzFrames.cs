using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Csms.Gateway.Tests.Security;

/// <summary>One fuzz input: the bytes of one WebSocket message, and the generator that made it.</summary>
internal sealed record FuzzInput(string Generator, byte[] Bytes, bool Binary = false);

/// <summary>
/// Makes fuzz inputs for one OCPP version from one seeded <see cref="Random"/>, so a seed replays the same inputs in the
/// same order: mutated valid frames, deep nesting, invalid UTF-8, random bytes, binary frames and odd message ids.
/// </summary>
internal sealed class FuzzFrames(Random random, bool v16, int maxMessageBytes)
{
    public const string Mutated = "mutated valid frames";
    public const string DeepNesting = "deep nesting";
    public const string InvalidUtf8 = "invalid UTF-8";
    public const string RandomBytes = "random bytes and text";
    public const string Binary = "binary frames";
    public const string MessageIds = "odd message ids";
    public const string LargeFrames = "frames around the size limit";

    private const string Timestamp = "2026-01-01T10:00:00Z";
    private const string JsonAlphabet = "[]{}\",:0123456789-+.eEtrufalsn \t\r\n\\/xu";

    private static readonly string[] NumberReplacements =
    [
        "0", "-0", "-0.0", "1.0", "0.1", "1.5", "1E+2", "-1", "1e308", "1e400", "-1e400", "1.7976931348623157e309", "4.9e-324",
        "1e-400", "99999999999999999999999", "-99999999999999999999999", "2147483647", "2147483648", "-2147483649",
        "9223372036854775808", "NaN", "-NaN", "Infinity", "-Infinity", "+1", "01", ".5", "1.", "0x10", "1e", "--1",
    ];

    private static readonly string[] OtherReplacements =
    [
        "\"\"", "\"NaN\"", "\"Infinity\"", "\"1e400\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\ud800\"",
        "\"\\udbff\\udfff\"", "\"\\ud83d\\ude00\"", "\"ü€漢\"", "\"\\\"\"", "\"\\x\"", "\"unterminated", "\"tab\there\"",
        "\"2026-13-45T25:61:61Z\"", "\"" + Timestamp + "\"", "\"Accepted\"", "true", "false", "null", "tRue", "nul", "{}", "[]",
        "[null]", "{\"a\":1}", "[[]]", "{\"\":\"\"}", "{\"a\":1,\"a\":2}",
    ];

    private static readonly string[] MessageTypes = ["0", "1", "2", "3", "4", "5", "6", "7", "-1", "99", "\"2\"", "2.0", "2e0", "-0", "1e400", "99999999999", "null", "[2]"];

    // overlongs, UTF-16 surrogates encoded as UTF-8, bytes that never occur, stray continuations, truncated sequences, beyond U+10FFFF
    private static readonly byte[][] InvalidSequences =
    [
        [0xC0, 0xAF], [0xC1, 0xBF], [0xC0, 0x80], [0xE0, 0x80, 0xAF], [0xE0, 0x9F, 0xBF], [0xF0, 0x80, 0x80, 0xAF],
        [0xF0, 0x8F, 0xBF, 0xBF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80], [0xFF], [0xFE],
        [0xFE, 0xFF], [0x80], [0xBF], [0xC2], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
        [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFC, 0x84, 0x80, 0x80, 0x80, 0x80], [0xC3, 0x28], [0xE2, 0x28, 0xA1],
    ];

    private int _ids;

    /// <summary>Inputs per generator, interleaved in an order the seed decides.</summary>
    public IEnumerable<FuzzInput> Generate(IReadOnlyDictionary<string, int> counts)
    {
        var schedule = counts.SelectMany(c => Enumerable.Repeat(c.Key, c.Value)).ToArray();
        random.Shuffle(schedule);
        foreach (var generator in schedule)
        {
            switch (generator)
            {
                case Mutated:
                    yield return new(generator, MutatedFrame());
                    break;
                case DeepNesting:
                    yield return new(generator, Encoding.UTF8.GetBytes(DeepFrame()));
                    break;
                case InvalidUtf8:
                    yield return new(generator, InvalidUtf8Frame());
                    break;
                case RandomBytes:
                    yield return new(generator, RandomFrame());
                    break;
                case Binary:
                    yield return new(generator, BinaryPayload(), Binary: true);
                    break;
                case LargeFrames:
                    yield return new(generator, Encoding.UTF8.GetBytes(LargeFrame()));
                    break;
                case MessageIds:
                    foreach (var frame in OddIdFrames())
                    {
                        yield return new(generator, Encoding.UTF8.GetBytes(frame));
                    }
                    break;
                default:
                    throw new ArgumentException($"no fuzz generator named '{generator}'", nameof(counts));
            }
        }
    }

    private string NextId() => "\"f" + (++_ids).ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>A valid frame of this version with the given message id token (already JSON).</summary>
    private string ValidFrame(string id)
    {
        var unknown = "\"unknown-" + (++_ids).ToString(CultureInfo.InvariantCulture) + "\"";
        var templates = v16
            ? new[]
            {
                $$"""[2,{{id}},"BootNotification",{"chargePointVendor":"Fuzz","chargePointModel":"F-16","chargePointSerialNumber":"SN-1","firmwareVersion":"1.0"}]""",
                $$"""[2,{{id}},"Heartbeat",{}]""",
                $$"""[2,{{id}},"StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available","timestamp":"{{Timestamp}}","info":"ok"}]""",
                $$"""[2,{{id}},"MeterValues",{"connectorId":1,"transactionId":5,"meterValue":[{"timestamp":"{{Timestamp}}","sampledValue":[{"value":"1000","measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]}]""",
                $$"""[2,{{id}},"DataTransfer",{"vendorId":"Fuzz","messageId":"m","data":"payload"}]""",
                $$"""[3,{{unknown}},{"status":"Accepted"}]""",
                $$"""[4,{{unknown}},"NotSupported","not here",{}]""",
            }
            : new[]
            {
                $$$"""[2,{{{id}}},"BootNotification",{"reason":"PowerUp","chargingStation":{"model":"F-201","vendorName":"Fuzz","firmwareVersion":"2.0"}}]""",
                $$"""[2,{{id}},"Heartbeat",{}]""",
                $$"""[2,{{id}},"StatusNotification",{"timestamp":"{{Timestamp}}","connectorStatus":"Available","evseId":1,"connectorId":1}]""",
                $$"""[2,{{id}},"MeterValues",{"evseId":1,"meterValue":[{"timestamp":"{{Timestamp}}","sampledValue":[{"value":1000.5,"measurand":"Energy.Active.Import.Register"}]}]}]""",
                $$"""[2,{{id}},"TransactionEvent",{"eventType":"Started","timestamp":"{{Timestamp}}","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"fuzz-tx-1","chargingState":"Charging"},"evse":{"id":1,"connectorId":1},"idToken":{"idToken":"FUZZ","type":"ISO14443"},"meterValue":[{"timestamp":"{{Timestamp}}","sampledValue":[{"value":10}]}]}]""",
                $$$"""[2,{{{id}}},"DataTransfer",{"vendorId":"Fuzz","messageId":"m","data":{"nested":[1,2,{"x":null}]}}]""",
                $$"""[3,{{unknown}},{"status":"Accepted"}]""",
                $$"""[4,{{unknown}},"NotSupported","not here",{}]""",
            };
        return templates[random.Next(templates.Length)];
    }

    private byte[] MutatedFrame()
    {
        var bytes = Encoding.UTF8.GetBytes(ValidFrame(NextId()));
        if (random.Next(100) < 8)
        {
            return bytes; // a valid frame now and then: it must still work among the noise
        }
        for (var rounds = 1 + random.Next(3); rounds > 0; rounds--)
        {
            bytes = random.Next(10) < 6 && JsonSpans.TryFind(bytes, out var spans) ? MutateStructure(bytes, spans) : MutateBytes(bytes);
        }
        return bytes;
    }

    private byte[] MutateStructure(byte[] bytes, JsonSpans spans)
    {
        var values = spans.Values;
        var value = values[random.Next(values.Count)];
        switch (random.Next(9))
        {
            case 0:
            case 1:
                return Splice(bytes, value, Encoding.UTF8.GetBytes(Replacement()));
            case 2:
                // remove a value, with or without the comma before it: missing elements and dangling commas
                var start = value.Start;
                if (random.Next(2) == 0 && start > 0 && bytes[start - 1] == ',')
                {
                    start--;
                }
                return Splice(bytes, new(start, value.End, value.Depth), []);
            case 3:
                // extra array elements, or a value where a property name belongs
                return Splice(bytes, new(value.End, value.End, 0), [(byte)',', .. bytes.AsSpan(value.Start, value.End - value.Start)]);
            case 4:
                var other = values[random.Next(values.Count)];
                return Swap(bytes, value, other);
            case 5:
                return Splice(bytes, spans.Elements[0], Encoding.UTF8.GetBytes(MessageTypes[random.Next(MessageTypes.Length)]));
            case 6 when spans.Names.Count > 0:
                return Splice(bytes, spans.Names[random.Next(spans.Names.Count)], Encoding.UTF8.GetBytes(PropertyName(spans, bytes)));
            case 7:
                var depth = 1 + random.Next(random.Next(2) == 0 ? 10 : 200);
                var inner = Encoding.UTF8.GetString(bytes, value.Start, value.End - value.Start);
                return Splice(bytes, value, Encoding.UTF8.GetBytes(Nest(depth, inner)));
            default:
                return RootMutation(bytes, spans);
        }
    }

    private byte[] RootMutation(byte[] bytes, JsonSpans spans)
    {
        // spans are byte offsets: cut the bytes, not the decoded text
        var elements = spans.Elements;
        var close = Array.LastIndexOf(bytes, (byte)']');
        switch (random.Next(8))
        {
            case 0 when close >= 0:
                return [.. bytes.AsSpan(0, close), (byte)',', .. Encoding.UTF8.GetBytes(OtherReplacements[random.Next(OtherReplacements.Length)]), (byte)']'];
            case 1 when close >= 0:
                return [.. bytes.AsSpan(0, close), .. ",{},{},null]"u8];
            case 2 when elements.Count > 1:
                return [.. bytes.AsSpan(0, elements[^2].End), (byte)']'];
            case 3:
                return [.. "{\"frame\":"u8, .. bytes, (byte)'}'];
            case 4 when elements.Count > 3:
                return bytes[elements[3].Start..elements[3].End];
            case 5:
                var text = Encoding.UTF8.GetString(bytes);
                return Encoding.UTF8.GetBytes("\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
            case 6:
                return Encoding.UTF8.GetBytes(random.Next(3) switch { 0 => "", 1 => " \t\r\n ", _ => "[]" });
            default:
                return Encoding.UTF8.GetBytes(WhitespaceAround(Encoding.UTF8.GetString(bytes)));
        }
    }

    private string WhitespaceAround(string text)
    {
        string[] spaces = [" ", "\t", "\r\n", "\n\n   "];
        return spaces[random.Next(spaces.Length)] + text + spaces[random.Next(spaces.Length)];
    }

    private byte[] MutateBytes(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return Encoding.UTF8.GetBytes(RandomText(1 + random.Next(20)));
        }
        var at = random.Next(bytes.Length);
        switch (random.Next(6))
        {
            case 0:
                var flipped = (byte[])bytes.Clone();
                // mostly within ASCII, so most flips stay UTF-8 and reach the JSON reader; now and then the top bit
                flipped[at] ^= (byte)(1 << (random.Next(20) == 0 ? 7 : random.Next(7)));
                return flipped;
            case 1:
                return bytes[..at];
            case 2:
                var length = 1 + random.Next(Math.Min(64, bytes.Length - at));
                var insertAt = random.Next(bytes.Length + 1);
                return [.. bytes.AsSpan(0, insertAt), .. bytes.AsSpan(at, length), .. bytes.AsSpan(insertAt)];
            case 3:
                var cut = 1 + random.Next(Math.Min(16, bytes.Length - at));
                return [.. bytes.AsSpan(0, at), .. bytes.AsSpan(at + cut)];
            case 4:
                return [.. bytes.AsSpan(0, at), .. Encoding.UTF8.GetBytes(RandomText(1 + random.Next(8))), .. bytes.AsSpan(at)];
            default:
                return Encoding.UTF8.GetBytes(WhitespaceAround(Encoding.UTF8.GetString(bytes)));
        }
    }

    private string Replacement() => random.Next(10) switch
    {
        < 4 => NumberReplacements[random.Next(NumberReplacements.Length)],
        < 7 => OtherReplacements[random.Next(OtherReplacements.Length)],
        7 => "\"" + new string('x', LongLength()) + "\"",
        8 => random.Next(2) == 0 ? new string('9', 1 + random.Next(400)) : "-" + new string('9', 1 + random.Next(400)) + ".5e-" + random.Next(1000),
        _ => Nest(1 + random.Next(100), "1"),
    };

    /// <summary>String lengths from short to just around the frame limit.</summary>
    private int LongLength() => random.Next(10) switch
    {
        < 5 => 37 + random.Next(300),
        < 8 => 1000 + random.Next(20_000),
        8 => 65_536,
        _ => maxMessageBytes - 300 + random.Next(600),
    };

    private string PropertyName(JsonSpans spans, byte[] bytes) => random.Next(6) switch
    {
        0 => "\"\"",
        1 => "\"" + new string('p', 1 + random.Next(5000)) + "\"",
        2 => "\"\\ud800\"",
        3 => "\"ü€\"",
        // the name of another property: a duplicate key in the same or another object
        4 => Encoding.UTF8.GetString(bytes, spans.Names[0].Start, spans.Names[0].End - spans.Names[0].Start),
        _ => "\"" + RandomText(1 + random.Next(10)).Replace("\\", "", StringComparison.Ordinal).Replace("\"", "", StringComparison.Ordinal) + "\"",
    };

    private string Nest(int depth, string inner) => random.Next(2) == 0
        ? new string('[', depth) + inner + new string(']', depth)
        : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + inner + new string('}', depth);

    private string DeepFrame()
    {
        int[] depths = [65, 100, 1000, 10_000, 20_000, 50_000];
        var depth = depths[random.Next(depths.Length)];
        var id = NextId();
        var nested = Nest(depth, random.Next(2) == 0 ? "1" : "{}");
        return random.Next(8) switch
        {
            0 => new string('[', depth) + new string(']', depth),
            1 => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth),
            2 => new string('[', depth),
            3 => $$"""[2,{{id}},"Heartbeat",{"a":{{nested}}}]""",
            4 => $$"""[2,{{id}},"DataTransfer",{"vendorId":"Fuzz","data":{{nested}}}]""",
            5 => $$"""[2,{{id}},{{nested}},{}]""",
            6 => $$"""[2,{{nested}},"Heartbeat",{}]""",
            _ => $$"""[3,{{id}},{{nested}}]""",
        };
    }

    /// <summary>
    /// A frame a little under or over the size limit that the schema refuses (so no grain stores anything) or that closes
    /// the connection with 1009: traffic enough that a leak of per-frame buffers would show in memory.
    /// </summary>
    private string LargeFrame()
    {
        var size = maxMessageBytes - 2048 + random.Next(random.Next(5) == 0 ? 4096 : 2048);
        var head = random.Next(2) == 0
            ? "[2," + NextId() + ",\"Heartbeat\",{\"pad\":\""
            : "[2," + NextId() + (v16 ? ",\"BootNotification\",{\"chargePointModel\":\"F\",\"chargePointVendor\":\"" : ",\"Heartbeat\",{\"\":\"");
        const string Tail = "\"}]";
        return head + new string('p', size - head.Length - Tail.Length) + Tail;
    }

    private byte[] InvalidUtf8Frame()
    {
        var bytes = Encoding.UTF8.GetBytes(ValidFrame(NextId()));
        var sequence = InvalidSequences[random.Next(InvalidSequences.Length)];
        int at;
        if (random.Next(4) > 0 && JsonSpans.TryFind(bytes, out var spans) && spans.Strings.Count > 0)
        {
            // inside a string (id, action or payload value), where a lenient reader would pass it on
            var text = spans.Strings[random.Next(spans.Strings.Count)];
            at = text.Start + 1 + random.Next(text.End - text.Start - 1);
        }
        else
        {
            at = random.Next(bytes.Length + 1);
        }
        return [.. bytes.AsSpan(0, at), .. sequence, .. bytes.AsSpan(at)];
    }

    private byte[] RandomFrame()
    {
        var length = 1 + random.Next(300);
        switch (random.Next(3))
        {
            case 0:
                var bytes = new byte[length];
                random.NextBytes(bytes);
                return bytes;
            case 1:
                return Encoding.UTF8.GetBytes(RandomText(length));
            default:
                return Encoding.UTF8.GetBytes(RandomOcppShapedJson());
        }
    }

    /// <summary>A JSON array shaped roughly like an OCPP-J message, with random parts.</summary>
    private string RandomOcppShapedJson()
    {
        string[] actions = ["\"Heartbeat\"", "\"BootNotification\"", "\"StatusNotification\"", "\"MeterValues\"", "\"TransactionEvent\"", "\"\"", "\"MakeCoffee\"", "\"heartbeat\"", "\"Heartbeat \"", "1", "null"];
        var parts = new List<string>();
        for (var n = random.Next(7); parts.Count < n;)
        {
            parts.Add(parts.Count switch
            {
                0 => MessageTypes[random.Next(MessageTypes.Length)],
                1 => random.Next(4) > 0 ? NextId() : RandomJsonValue(2),
                2 => random.Next(3) > 0 ? actions[random.Next(actions.Length)] : RandomJsonValue(2),
                _ => RandomJsonValue(3),
            });
        }
        return "[" + string.Join(",", parts) + "]";
    }

    private string RandomJsonValue(int depth)
    {
        switch (random.Next(depth > 0 ? 8 : 5))
        {
            case 0:
                return NumberReplacements[random.Next(NumberReplacements.Length)];
            case 1:
            case 2:
                return OtherReplacements[random.Next(OtherReplacements.Length)];
            case 3:
                return random.Next(1000).ToString(CultureInfo.InvariantCulture);
            case 4:
                return "\"" + new string('s', random.Next(50)) + "\"";
            case 5:
                return "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => RandomJsonValue(depth - 1))) + "]";
            default:
                var names = new[] { "connectorId", "status", "errorCode", "reason", "a", "timestamp", "evseId", "seqNo" };
                return "{" + string.Join(",", Enumerable.Range(0, random.Next(4))
                    .Select(_ => "\"" + names[random.Next(names.Length)] + "\":" + RandomJsonValue(depth - 1))) + "}";
        }
    }

    private string RandomText(int length)
    {
        var text = new char[length];
        for (var i = 0; i < length; i++)
        {
            text[i] = JsonAlphabet[random.Next(JsonAlphabet.Length)];
        }
        return new string(text);
    }

    private byte[] BinaryPayload()
    {
        switch (random.Next(5))
        {
            case 0:
                return [];
            case 1:
                return Encoding.UTF8.GetBytes(ValidFrame(NextId()));
            case 2:
                // larger than the frame limit: the size check may strike first
                var big = new byte[maxMessageBytes + 1 + random.Next(1000)];
                random.NextBytes(big);
                return big;
            default:
                var bytes = new byte[1 + random.Next(500)];
                random.NextBytes(bytes);
                return bytes;
        }
    }

    /// <summary>One frame with an odd message id, or two frames with the same id (a duplicate).</summary>
    private IEnumerable<string> OddIdFrames()
    {
        string[] odd =
        [
            "\"" + new string('i', 36) + "\"", "\"" + new string('i', 37) + "\"", "\"" + new string('i', 1000) + "\"",
            "\"" + new string('i', 100_000) + "\"", "\"x\"", "\"-1\"", "\"\"", "\" \"", "\"a\\\"b\"", "\"\\u0041BC\"", "\"\\\\\"",
            "\"\\ud800x\"", "\"\\udc00\"", "\"\\ud83d\\ude00\"", "\"é€漢\"", "\"\\t\"", "\"\\u0000\"", "123", "-1", "0", "1e400",
            "1.5", "99999999999999999999999", "null", "true", "false", "{}", "[]", "[\"f1\"]", "{\"id\":\"f1\"}",
        ];
        if (random.Next(4) == 0)
        {
            var id = NextId();
            var frame = ValidFrame(id);
            yield return frame;
            yield return random.Next(2) == 0 ? frame : ValidFrame(id);
            yield break;
        }
        var raw = odd[random.Next(odd.Length)];
        var valid = ValidFrame("\"ID\"");
        var first = valid.IndexOf("\"ID\"", StringComparison.Ordinal);
        // results and errors carry their own unknown id: give them the odd one instead
        var idStart = first >= 0 ? first : valid.IndexOf(",\"", StringComparison.Ordinal) + 1;
        var idEnd = valid.IndexOf('"', idStart + 1) + 1;
        yield return valid[..idStart] + raw + valid[idEnd..];
    }

    private static byte[] Splice(byte[] bytes, JsonSpan span, ReadOnlySpan<byte> replacement) =>
        [.. bytes.AsSpan(0, span.Start), .. replacement, .. bytes.AsSpan(span.End)];

    private static byte[] Swap(byte[] bytes, JsonSpan a, JsonSpan b)
    {
        if (a.Start > b.Start)
        {
            (a, b) = (b, a);
        }
        if (a.End > b.Start)
        {
            return bytes; // one holds the other
        }
        return [.. bytes.AsSpan(0, a.Start), .. bytes.AsSpan(b.Start, b.End - b.Start), .. bytes.AsSpan(a.End, b.Start - a.End),
            .. bytes.AsSpan(a.Start, a.End - a.Start), .. bytes.AsSpan(b.End)];
    }
}

/// <summary>A byte range of a JSON text; depth 1 is an element of the top-level array.</summary>
internal readonly record struct JsonSpan(int Start, int End, int Depth);

/// <summary>Where the values, strings, property names and top-level elements of a valid JSON text are.</summary>
internal sealed class JsonSpans
{
    public List<JsonSpan> Values { get; } = [];

    public List<JsonSpan> Strings { get; } = [];

    public List<JsonSpan> Names { get; } = [];

    public List<JsonSpan> Elements { get; } = [];

    public static bool TryFind(byte[] json, out JsonSpans spans)
    {
        spans = new JsonSpans();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 1_000_000 });
        var starts = new Stack<(int Start, int Depth)>();
        try
        {
            while (reader.Read())
            {
                var start = (int)reader.TokenStartIndex;
                var end = (int)reader.BytesConsumed;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        starts.Push((start, reader.CurrentDepth));
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        var (open, depth) = starts.Pop();
                        spans.Add(new JsonSpan(open, end, depth));
                        continue;
                    case JsonTokenType.PropertyName:
                        // the span ends at the closing quote, whatever the reader consumed after it
                        while (json[end - 1] != '"')
                        {
                            end--;
                        }
                        spans.Names.Add(new JsonSpan(start, end, reader.CurrentDepth));
                        continue;
                    case JsonTokenType.String:
                        spans.Strings.Add(new JsonSpan(start, end, reader.CurrentDepth));
                        break;
                }
                spans.Add(new JsonSpan(start, end, reader.CurrentDepth));
            }
        }
        catch (JsonException)
        {
            return false;
        }
        spans.Elements.Sort((a, b) => a.Start.CompareTo(b.Start));
        return spans.Elements.Count > 0;
    }

    private void Add(JsonSpan span)
    {
        Values.Add(span);
        if (span.Depth == 1)
        {
            Elements.Add(span);
        }
    }
}
