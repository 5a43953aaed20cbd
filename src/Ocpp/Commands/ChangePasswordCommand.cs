using System.Text.Json;
using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>
/// Gives a station a new HTTP Basic password (security profiles 1 and 2): 2.x SetVariables of
/// SecurityCtrlr.BasicAuthPassword (2.0.1 A01.FR.02), 1.6 ChangeConfiguration of AuthorizationKey (security whitepaper
/// A01.FR.02). Sent only through the password endpoint, which keeps the CSMS's copy of the credentials in step.
/// </summary>
public sealed record ChangePasswordCommand : OperatorCommand
{
    public const string AuthorizationKey = "AuthorizationKey";
    public const string SecurityCtrlr = "SecurityCtrlr";
    public const string BasicAuthPassword = "BasicAuthPassword";

    public required string Password { get; init; }

    /// <summary>
    /// 2.0.1 SecurityCtrlr.BasicAuthPassword: a passwordString of at most 40 characters; 16 at least, as the 1.6 key's
    /// 16 bytes. Printable ASCII without spaces keeps it typeable into any station.
    /// </summary>
    public static string? BasicAuthPasswordProblem(string password) =>
        password.Length is < 16 or > 40 ? "password must be 16 to 40 characters (OCPP 2.0.1 BasicAuthPassword)"
        : password.Any(c => c is < '!' or > '~') ? "password must be printable ASCII without spaces"
        : null;

    /// <summary>
    /// 1.6 AuthorizationKey: 16 to 20 bytes written as 32 to 40 hexadecimal digits (security whitepaper A00.FR.205,
    /// OCPP-J 1.6 section 6.2.2 "a 40-character hexadecimal representation of the 20-byte authorization key").
    /// </summary>
    public static string? AuthorizationKeyProblem(string key) =>
        key.Length is < 32 or > 40 || key.Length % 2 != 0 || !key.All(char.IsAsciiHexDigit)
            ? "an OCPP 1.6 AuthorizationKey is 16 to 20 bytes written as 32 to 40 hexadecimal digits (an even number)"
            : null;

    internal override IReadOnlyList<OcppCall> ToCalls(OcppVersion version)
    {
        if (version == OcppVersion.V16)
        {
            return AuthorizationKeyProblem(Password) is { } keyProblem
                ? throw new CommandNotExpressibleException("password: " + keyProblem)
                : [new OcppCall("ChangeConfiguration", new JsonObject { ["key"] = AuthorizationKey, ["value"] = Password })];
        }
        if (BasicAuthPasswordProblem(Password) is { } problem)
        {
            throw new CommandNotExpressibleException(problem);
        }
        return
        [
            new OcppCall("SetVariables", new JsonObject
            {
                ["setVariableData"] = new JsonArray(new JsonObject
                {
                    ["attributeValue"] = Password,
                    ["component"] = new JsonObject { ["name"] = SecurityCtrlr },
                    ["variable"] = new JsonObject { ["name"] = BasicAuthPassword },
                }),
            }),
        ];
    }

    /// <summary>
    /// Whether a CALL would change the station's Basic-auth password: sent any other way than through the password
    /// endpoint, the CSMS would go on expecting the old one and lock the station out once it reconnects.
    /// </summary>
    public static bool Writes(string action, string payloadJson)
    {
        using var document = JsonDocument.Parse(payloadJson);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        switch (action)
        {
            case "ChangeConfiguration":
                return root.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String
                    && string.Equals(key.GetString(), AuthorizationKey, StringComparison.OrdinalIgnoreCase);
            case "SetVariables" when root.TryGetProperty("setVariableData", out var data) && data.ValueKind == JsonValueKind.Array:
                foreach (var item in data.EnumerateArray())
                {
                    if (Named(item, "component", SecurityCtrlr) && Named(item, "variable", BasicAuthPassword))
                    {
                        return true;
                    }
                }
                return false;
            default:
                return false;
        }
    }

    private static bool Named(JsonElement item, string property, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(property, out var part) && part.ValueKind == JsonValueKind.Object
        && part.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
        && string.Equals(n.GetString(), name, StringComparison.OrdinalIgnoreCase);
}
