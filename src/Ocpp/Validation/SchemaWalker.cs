using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Csms.Ocpp.Framing;

namespace Csms.Ocpp.Validation;

/// <summary>
/// Walks a payload along a compiled schema and stops at the first violation. Nothing is allocated unless a
/// violation is found; the JSON path is then collected while the recursion unwinds.
/// </summary>
internal static class SchemaWalker
{
    // payload-supplied property names are clipped so a description stays short
    private const int MaxEchoedNameLength = 40;

    public static SchemaValidationResult Validate(SchemaNode root, JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return SchemaValidationResult.Invalid(OcppErrorCode.FormatViolation, "payload: not a JSON object");
        }
        var failure = Walk(root, payload);
        return failure is null ? SchemaValidationResult.Valid : SchemaValidationResult.Invalid(failure.Error, failure.Describe());
    }

    private static Failure? Walk(SchemaNode node, JsonElement value)
    {
        if (node.Types != JsonTypes.None && !HasType(node.Types, value))
        {
            return new Failure(OcppErrorCode.TypeConstraintViolation, "must be of type " + TypeName(node.Types));
        }
        if (node.Enum is { } allowed && !IsOneOf(allowed, value))
        {
            return new Failure(OcppErrorCode.PropertyConstraintViolation, "not one of the allowed values");
        }
        return value.ValueKind switch
        {
            JsonValueKind.Object => WalkObject(node, value),
            JsonValueKind.Array => WalkArray(node, value),
            JsonValueKind.String => CheckString(node, value),
            JsonValueKind.Number => CheckNumber(node, value),
            _ => null,
        };
    }

    private static Failure? WalkObject(SchemaNode node, JsonElement value)
    {
        var properties = node.Properties;
        for (var i = 0; i < properties.Length; i++)
        {
            var property = properties[i];
            if (value.TryGetProperty(property.Name, out var child))
            {
                if (property.Schema is not null && Walk(property.Schema, child) is { } failure)
                {
                    return failure.Under(property.Name);
                }
            }
            else if (property.Required)
            {
                return new Failure(OcppErrorCode.OccurrenceConstraintViolation, "required property missing").Under(property.Name);
            }
        }
        if (!node.AdditionalPropertiesAllowed)
        {
            foreach (var present in value.EnumerateObject())
            {
                if (!IsDeclared(properties, present))
                {
                    var name = present.Name;
                    return new Failure(OcppErrorCode.FormatViolation, "property not allowed")
                        .Under(name.Length <= MaxEchoedNameLength ? name : name[..MaxEchoedNameLength] + "…");
                }
            }
        }
        return null;
    }

    private static bool IsDeclared(SchemaProperty[] properties, JsonProperty present)
    {
        for (var i = 0; i < properties.Length; i++)
        {
            if (present.NameEquals(properties[i].Name))
            {
                return true;
            }
        }
        return false;
    }

    private static Failure? WalkArray(SchemaNode node, JsonElement value)
    {
        var count = value.GetArrayLength();
        if (count < node.MinItems)
        {
            return new Failure(OcppErrorCode.OccurrenceConstraintViolation, Plural("at least", node.MinItems.Value, "required"));
        }
        if (count > node.MaxItems)
        {
            return new Failure(OcppErrorCode.OccurrenceConstraintViolation, Plural("at most", node.MaxItems.Value, "allowed"));
        }
        if (node.Items is { } items)
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (Walk(items, item) is { } failure)
                {
                    return failure.At(index);
                }
                index++;
            }
        }
        return null;
    }

    private static Failure? CheckString(SchemaNode node, JsonElement value)
    {
        if (node.MaxLength is null && node.Format == StringFormat.None)
        {
            return null;
        }
        var raw = RawString(value, out var escaped);
        if (node.MaxLength is { } maxLength && raw.Length > maxLength && CodePoints(value, raw, escaped) > maxLength)
        {
            // raw UTF-8 length bounds the code point count from above, so most strings need no counting
            return new Failure(OcppErrorCode.PropertyConstraintViolation, Invariant($"longer than maxLength {maxLength}"));
        }
        switch (node.Format)
        {
            case StringFormat.DateTime when !SchemaFormats.IsDateTime(escaped ? Encoding.UTF8.GetBytes(value.GetString()!) : raw):
                return new Failure(OcppErrorCode.PropertyConstraintViolation, "not an RFC 3339 date-time");
            case StringFormat.Uri when !SchemaFormats.IsAbsoluteUri(value.GetString()!):
                return new Failure(OcppErrorCode.PropertyConstraintViolation, "not an absolute URI");
            default:
                return null;
        }
    }

    /// <summary>The string's UTF-8 bytes between the quotes; escaped says they still hold JSON escapes.</summary>
    private static ReadOnlySpan<byte> RawString(JsonElement value, out bool escaped)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (raw.Length >= 2 && raw[0] == '"')
        {
            raw = raw[1..^1];
        }
        escaped = raw.Contains((byte)'\\');
        return raw;
    }

    private static int CodePoints(JsonElement value, ReadOnlySpan<byte> raw, bool escaped)
    {
        if (escaped)
        {
            var count = 0;
            foreach (var rune in value.GetString()!.EnumerateRunes())
            {
                _ = rune;
                count++;
            }
            return count;
        }
        var codePoints = 0;
        foreach (var b in raw)
        {
            // every UTF-8 byte except continuation bytes starts a code point
            if ((b & 0xC0) != 0x80)
            {
                codePoints++;
            }
        }
        return codePoints;
    }

    private static Failure? CheckNumber(SchemaNode node, JsonElement value)
    {
        if (node.Minimum is { } minimum && Compare(value, minimum) < 0)
        {
            return new Failure(OcppErrorCode.PropertyConstraintViolation, Invariant($"less than minimum {minimum}"));
        }
        if (node.Maximum is { } maximum && Compare(value, maximum) > 0)
        {
            return new Failure(OcppErrorCode.PropertyConstraintViolation, Invariant($"greater than maximum {maximum}"));
        }
        if (node.MultipleOf is { } multipleOf && !IsMultipleOf(value, multipleOf))
        {
            return new Failure(OcppErrorCode.PropertyConstraintViolation, Invariant($"not a multiple of {multipleOf}"));
        }
        return null;
    }

    private static int Compare(JsonElement value, decimal bound)
    {
        if (value.TryGetDecimal(out var exact))
        {
            return exact.CompareTo(bound);
        }
        if (value.TryGetDouble(out var approximate))
        {
            return approximate.CompareTo((double)bound);
        }
        // beyond double range: the sign alone decides against any schema bound
        return JsonMarshal.GetRawUtf8Value(value)[0] == '-' ? -1 : 1;
    }

    private static bool IsMultipleOf(JsonElement value, decimal divisor)
    {
        // decimal arithmetic so 0.3 is a multiple of 0.1, which binary floating point gets wrong
        if (value.TryGetDecimal(out var exact))
        {
            return exact % divisor == 0;
        }
        // too large for decimal: at that magnitude every double is integral, so judge the quotient
        if (value.TryGetDouble(out var approximate))
        {
            var quotient = approximate / (double)divisor;
            return Math.Floor(quotient) == quotient;
        }
        return true;
    }

    private static bool HasType(JsonTypes types, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => (types & JsonTypes.Object) != 0,
        JsonValueKind.Array => (types & JsonTypes.Array) != 0,
        JsonValueKind.String => (types & JsonTypes.String) != 0,
        JsonValueKind.True or JsonValueKind.False => (types & JsonTypes.Boolean) != 0,
        JsonValueKind.Null => (types & JsonTypes.Null) != 0,
        JsonValueKind.Number => (types & JsonTypes.Number) != 0 || ((types & JsonTypes.Integer) != 0 && IsIntegral(value)),
        _ => false,
    };

    /// <summary>JSON Schema integers are numbers without a fractional part, so 5.0 and 1e2 qualify.</summary>
    private static bool IsIntegral(JsonElement value)
    {
        if (value.TryGetInt64(out _))
        {
            return true;
        }
        if (value.TryGetDecimal(out var exact))
        {
            return decimal.Truncate(exact) == exact;
        }
        // beyond decimal range every finite double is integral; beyond double range too
        return !value.TryGetDouble(out var approximate) || Math.Floor(approximate) == approximate;
    }

    private static bool IsOneOf(string[] allowed, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return false;
        }
        for (var i = 0; i < allowed.Length; i++)
        {
            if (value.ValueEquals(allowed[i]))
            {
                return true;
            }
        }
        return false;
    }

    private static string TypeName(JsonTypes types) => types switch
    {
        JsonTypes.Object => "object",
        JsonTypes.Array => "array",
        JsonTypes.String => "string",
        JsonTypes.Integer => "integer",
        JsonTypes.Number => "number",
        JsonTypes.Boolean => "boolean",
        JsonTypes.Null => "null",
        _ => types.ToString(),
    };

    private static string Plural(string bound, int count, string verb) =>
        Invariant($"{bound} {count} {(count == 1 ? "item" : "items")} {verb}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A violation plus the path segments collected innermost first.</summary>
    private sealed class Failure(OcppErrorCode error, string rule)
    {
        private readonly List<(string? Name, int Index)> _path = [];

        public OcppErrorCode Error { get; } = error;

        public Failure Under(string propertyName)
        {
            _path.Add((propertyName, -1));
            return this;
        }

        public Failure At(int index)
        {
            _path.Add((null, index));
            return this;
        }

        public string Describe()
        {
            var text = new StringBuilder();
            for (var i = _path.Count - 1; i >= 0; i--)
            {
                var (name, index) = _path[i];
                if (name is null)
                {
                    text.Append(CultureInfo.InvariantCulture, $"[{index}]");
                }
                else
                {
                    if (text.Length > 0)
                    {
                        text.Append('.');
                    }
                    text.Append(name);
                }
            }
            if (text.Length == 0)
            {
                text.Append("payload");
            }
            return text.Append(": ").Append(rule).ToString();
        }
    }
}
