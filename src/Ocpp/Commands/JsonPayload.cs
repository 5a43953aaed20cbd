using System.Globalization;
using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>Small helpers for building payloads: optional members, OCPP timestamps.</summary>
internal static class JsonPayload
{
    /// <summary>Adds the member only when it has a value; OCPP wants optional fields absent, not null.</summary>
    public static JsonObject Put(this JsonObject target, string name, JsonNode? value)
    {
        if (value is not null)
        {
            target[name] = value;
        }
        return target;
    }

    /// <summary>UTC with a "Z" suffix, as the spec asks and chargers parse most reliably; no trailing fractional zeros.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static JsonNode? Timestamp(DateTimeOffset? value) => value is { } v ? Timestamp(v) : null;

    /// <summary>"OCPP 2.0.1 UnlockConnector": how problem messages name the CALL they could not build.</summary>
    public static string In(this OcppVersion version, string action) => $"OCPP {version.Number()} {action}";

    /// <summary>Matches an operator-supplied enumeration value case-insensitively and returns its canonical spelling.</summary>
    public static string? Canonical(string? value, IEnumerable<string> allowed) =>
        value is null ? null : allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));

    public static CommandNotExpressibleException Required(string field, string what) =>
        new($"{field} is required: {what}.");
}
