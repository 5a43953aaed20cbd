using System.Text.Json;
using System.Text.Json.Nodes;

namespace Csms.Ocpp.Tests.Messages;

/// <summary>Builds a valid JSON instance of a schema by walking it.</summary>
internal static class SchemaInstances
{
    public const string Timestamp = "2025-03-04T05:06:07Z";

    /// <param name="allProperties">false: required properties only, arrays at minItems; true: every property, arrays of at least one item.</param>
    public static JsonNode? Build(JsonElement schemaRoot, bool allProperties) => Build(schemaRoot, schemaRoot, allProperties, depth: 0);

    public static JsonElement LoadSchema(string versionFolder, string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot.SchemaDirectory(versionFolder), file))).RootElement;

    private static JsonNode? Build(JsonElement node, JsonElement root, bool allProperties, int depth)
    {
        if (node.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!["#/definitions/".Length..];
            return Build(root.GetProperty("definitions").GetProperty(name), root, allProperties, depth);
        }
        if (node.TryGetProperty("enum", out var values))
        {
            return JsonValue.Create(values[0].GetString());
        }
        var type = node.TryGetProperty("type", out var t) ? t.GetString() : null;
        switch (type)
        {
            case "string":
                if (node.TryGetProperty("format", out var format) && format.GetString() == "date-time")
                {
                    return JsonValue.Create(Timestamp);
                }
                var maxLength = node.TryGetProperty("maxLength", out var ml) ? ml.GetInt32() : 8;
                return JsonValue.Create("abcdefgh"[..Math.Min(8, maxLength)]);
            case "integer":
                return JsonValue.Create((long)InRange(node, 3m));
            case "number":
                return JsonValue.Create(InRange(node, 1.5m));
            case "boolean":
                return JsonValue.Create(true);
            case "array":
                var minItems = node.TryGetProperty("minItems", out var min) ? min.GetInt32() : 0;
                var maxItems = node.TryGetProperty("maxItems", out var max) ? max.GetInt32() : int.MaxValue;
                var count = allProperties ? Math.Min(Math.Max(minItems, 1), maxItems) : minItems;
                var array = new JsonArray();
                for (var i = 0; i < count; i++)
                {
                    array.Add(Build(node.GetProperty("items"), root, allProperties, depth + 1));
                }
                return array;
            case "object":
                var required = node.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(v => v.GetString()).ToHashSet() : [];
                var result = new JsonObject();
                if (node.TryGetProperty("properties", out var properties))
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        // depth guard: optional branches could in principle recurse
                        if (required.Contains(property.Name) || (allProperties && depth < 12))
                        {
                            result[property.Name] = Build(property.Value, root, allProperties, depth + 1);
                        }
                    }
                }
                return result;
            case null:
                // untyped (DataTransfer data): any JSON value will do
                return JsonValue.Create("opaque");
            default:
                throw new InvalidOperationException($"schema type {type}");
        }
    }

    private static decimal InRange(JsonElement node, decimal preferred)
    {
        var value = preferred;
        if (node.TryGetProperty("minimum", out var min) && value < min.GetDecimal())
        {
            value = min.GetDecimal();
        }
        if (node.TryGetProperty("maximum", out var max) && value > max.GetDecimal())
        {
            value = max.GetDecimal();
        }
        return value;
    }
}
