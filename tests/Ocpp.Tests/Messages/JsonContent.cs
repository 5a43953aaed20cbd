using System.Text.Json;

namespace Csms.Ocpp.Tests.Messages;

/// <summary>Compares JSON by content: property order is irrelevant, numbers compare by value (1.50 equals 1.5).</summary>
internal static class JsonContent
{
    /// <returns>null when equal, otherwise the path of the first difference.</returns>
    public static string? FirstDifference(JsonElement expected, JsonElement actual, string path = "$")
    {
        if (expected.ValueKind != actual.ValueKind)
        {
            return $"{path}: {expected.ValueKind} vs {actual.ValueKind}";
        }
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var expectedProperties = expected.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                var actualProperties = actual.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                foreach (var name in expectedProperties.Keys.Union(actualProperties.Keys).Order(StringComparer.Ordinal))
                {
                    if (!expectedProperties.TryGetValue(name, out var e) || !actualProperties.TryGetValue(name, out var a))
                    {
                        return $"{path}.{name}: present on one side only";
                    }
                    if (FirstDifference(e, a, $"{path}.{name}") is { } difference)
                    {
                        return difference;
                    }
                }
                return null;
            case JsonValueKind.Array:
                if (expected.GetArrayLength() != actual.GetArrayLength())
                {
                    return $"{path}: {expected.GetArrayLength()} vs {actual.GetArrayLength()} items";
                }
                var index = 0;
                foreach (var (e, a) in expected.EnumerateArray().Zip(actual.EnumerateArray()))
                {
                    if (FirstDifference(e, a, $"{path}[{index++}]") is { } difference)
                    {
                        return difference;
                    }
                }
                return null;
            case JsonValueKind.Number:
                return expected.GetDecimal() == actual.GetDecimal() ? null : $"{path}: {expected} vs {actual}";
            case JsonValueKind.String:
                return expected.GetString() == actual.GetString() ? null : $"{path}: \"{expected}\" vs \"{actual}\"";
            default:
                return null;
        }
    }

    public static string? FirstDifference(string expected, string actual)
    {
        using var e = JsonDocument.Parse(expected);
        using var a = JsonDocument.Parse(actual);
        return FirstDifference(e.RootElement, a.RootElement);
    }
}
