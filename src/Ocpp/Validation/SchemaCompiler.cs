using System.Globalization;
using System.Text.Json;

namespace Csms.Ocpp.Validation;

/// <summary>
/// Turns one schema document into a <see cref="SchemaNode"/> tree. Any keyword it does not implement is
/// refused with the file name, so a schema can never be partially (silently) enforced.
/// </summary>
internal sealed class SchemaCompiler
{
    // Annotations carry no validation meaning in draft-04/06.
    private static readonly HashSet<string> Annotations =
        ["description", "javaType", "comment", "$comment", "$schema", "$id", "id", "title", "default"];

    private const string DefinitionsPrefix = "#/definitions/";

    private readonly string _fileName;
    private readonly Dictionary<string, JsonElement> _definitions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SchemaNode> _compiled = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inProgress = new(StringComparer.Ordinal);

    private SchemaCompiler(string fileName) => _fileName = fileName;

    public static SchemaNode Compile(string fileName, JsonElement root)
    {
        var compiler = new SchemaCompiler(fileName);
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw compiler.Error("#", "schema root is not an object");
        }
        if (root.TryGetProperty("definitions", out var definitions))
        {
            if (definitions.ValueKind != JsonValueKind.Object)
            {
                throw compiler.Error("#/definitions", "definitions is not an object");
            }
            foreach (var definition in definitions.EnumerateObject())
            {
                compiler._definitions[definition.Name] = definition.Value;
            }
        }
        // compile every definition, referenced or not, so unsupported keywords anywhere are refused
        foreach (var name in compiler._definitions.Keys)
        {
            compiler.Resolve(DefinitionsPrefix + name, "#/definitions/" + name);
        }
        return compiler.CompileNode(root, "#", isRoot: true);
    }

    private SchemaNode CompileNode(JsonElement schema, string pointer, bool isRoot = false)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw Error(pointer, "schema is not an object");
        }
        if (schema.TryGetProperty("$ref", out var reference))
        {
            foreach (var keyword in schema.EnumerateObject())
            {
                // draft-04/06 ignore siblings of $ref; refuse constraints there rather than drop them
                if (keyword.Name != "$ref" && !Annotations.Contains(keyword.Name))
                {
                    throw Error(pointer, $"keyword '{keyword.Name}' next to $ref is not supported");
                }
            }
            if (reference.ValueKind != JsonValueKind.String)
            {
                throw Error(pointer, "$ref is not a string");
            }
            return Resolve(reference.GetString()!, pointer);
        }

        var types = JsonTypes.None;
        List<SchemaProperty>? properties = null;
        List<string>? required = null;
        var additionalPropertiesAllowed = true;
        List<string>? enumValues = null;
        int? maxLength = null, minItems = null, maxItems = null;
        decimal? minimum = null, maximum = null, multipleOf = null;
        var format = StringFormat.None;
        SchemaNode? items = null;

        foreach (var keyword in schema.EnumerateObject())
        {
            var value = keyword.Value;
            var at = pointer + "/" + keyword.Name;
            switch (keyword.Name)
            {
                case "type":
                    types = ParseType(value, at);
                    break;
                case "properties":
                    if (value.ValueKind != JsonValueKind.Object)
                    {
                        throw Error(at, "properties is not an object");
                    }
                    properties = [];
                    foreach (var property in value.EnumerateObject())
                    {
                        properties.Add(new SchemaProperty(property.Name, CompileNode(property.Value, at + "/" + property.Name), false));
                    }
                    break;
                case "required":
                    required = ReadStrings(value, at);
                    break;
                case "additionalProperties":
                    additionalPropertiesAllowed = value.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        _ => throw Error(at, "only boolean additionalProperties is supported"),
                    };
                    break;
                case "enum":
                    enumValues = ReadStrings(value, at);
                    break;
                case "maxLength":
                    maxLength = ReadCount(value, at);
                    break;
                case "minItems":
                    minItems = ReadCount(value, at);
                    break;
                case "maxItems":
                    maxItems = ReadCount(value, at);
                    break;
                case "minimum":
                    minimum = ReadDecimal(value, at);
                    break;
                case "maximum":
                    maximum = ReadDecimal(value, at);
                    break;
                case "multipleOf":
                    multipleOf = ReadDecimal(value, at);
                    if (multipleOf <= 0)
                    {
                        throw Error(at, "multipleOf must be positive");
                    }
                    break;
                case "format":
                    format = value.ValueKind == JsonValueKind.String ? value.GetString() switch
                    {
                        "date-time" => StringFormat.DateTime,
                        "uri" => StringFormat.Uri,
                        _ => throw Error(at, "unsupported format"),
                    } : throw Error(at, "format is not a string");
                    break;
                case "items":
                    if (value.ValueKind != JsonValueKind.Object)
                    {
                        throw Error(at, "only a single items schema is supported");
                    }
                    items = CompileNode(value, at);
                    break;
                case "additionalItems":
                    // only constrains tuple-form items, which is refused above; a boolean is therefore a no-op
                    if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        throw Error(at, "only boolean additionalItems is supported");
                    }
                    break;
                case "definitions" when isRoot:
                    break;
                default:
                    if (!Annotations.Contains(keyword.Name))
                    {
                        throw Error(at, $"unsupported keyword '{keyword.Name}'");
                    }
                    break;
            }
        }

        return new SchemaNode
        {
            Types = types,
            Properties = [.. MergeRequired(properties, required)],
            AdditionalPropertiesAllowed = additionalPropertiesAllowed,
            Enum = enumValues?.ToArray(),
            MaxLength = maxLength,
            Minimum = minimum,
            Maximum = maximum,
            MultipleOf = multipleOf,
            Format = format,
            Items = items,
            MinItems = minItems,
            MaxItems = maxItems,
        };
    }

    private SchemaNode Resolve(string reference, string pointer)
    {
        if (!reference.StartsWith(DefinitionsPrefix, StringComparison.Ordinal))
        {
            throw Error(pointer, "only local #/definitions/ references are supported");
        }
        var name = reference[DefinitionsPrefix.Length..];
        if (_compiled.TryGetValue(name, out var node))
        {
            return node;
        }
        if (!_definitions.TryGetValue(name, out var definition))
        {
            throw Error(pointer, $"unresolved reference '{reference}'");
        }
        if (!_inProgress.Add(name))
        {
            throw Error(pointer, $"recursive reference '{reference}' is not supported");
        }
        node = CompileNode(definition, DefinitionsPrefix + name);
        _inProgress.Remove(name);
        _compiled[name] = node;
        return node;
    }

    /// <summary>Schema order first; required names without a property schema follow, accepting any value.</summary>
    private static List<SchemaProperty> MergeRequired(List<SchemaProperty>? properties, List<string>? required)
    {
        var merged = new List<SchemaProperty>(properties?.Count ?? 0);
        var requiredSet = required is null ? null : new HashSet<string>(required, StringComparer.Ordinal);
        foreach (var property in properties ?? [])
        {
            merged.Add(property with { Required = requiredSet?.Remove(property.Name) == true });
        }
        foreach (var name in required ?? [])
        {
            if (requiredSet!.Remove(name))
            {
                merged.Add(new SchemaProperty(name, null, true));
            }
        }
        return merged;
    }

    private JsonTypes ParseType(JsonElement value, string at)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Error(at, "only a single type name is supported");
        }
        return value.GetString() switch
        {
            "object" => JsonTypes.Object,
            "array" => JsonTypes.Array,
            "string" => JsonTypes.String,
            "integer" => JsonTypes.Integer,
            "number" => JsonTypes.Number,
            "boolean" => JsonTypes.Boolean,
            "null" => JsonTypes.Null,
            _ => throw Error(at, "unknown type name"),
        };
    }

    private List<string> ReadStrings(JsonElement value, string at)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error(at, "expected an array of strings");
        }
        var strings = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            strings.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Error(at, "expected an array of strings"));
        }
        return strings;
    }

    private int ReadCount(JsonElement value, string at) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var count) && count >= 0 && count <= int.MaxValue && decimal.Truncate(count) == count
            ? (int)count
            : throw Error(at, "expected a non-negative integer");

    private decimal ReadDecimal(JsonElement value, string at) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number)
            ? number / 1.0000000000000000000000000000m // drops trailing zeros, so "0.0" is described as 0
            : throw Error(at, "expected a number");

    private InvalidDataException Error(string pointer, string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"OCPP schema {_fileName}: {message} at {pointer}"));
}
