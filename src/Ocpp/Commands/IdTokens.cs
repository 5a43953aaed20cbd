using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>Maps a neutral identifier (token + optional type) to a 1.6 idTag or a 2.x IdTokenType.</summary>
internal static class IdTokens
{
    /// <summary>The type a 2.x idToken gets when the operator gives none: an RFID card, the common case.</summary>
    public const string DefaultType = "ISO14443";

    // IdTokenEnumType of 2.0.1 (Part 2 section 3.43); 2.1 made it an open string of at most 20 characters
    private static readonly string[] Types201 =
        ["Central", "eMAID", "ISO14443", "ISO15693", "KeyCode", "Local", "MacAddress", "NoAuthorization"];

    /// <summary>1.6 idTag: IdToken is CiString20Type (1.6 section 7.28); 1.6 has no token types, so a type is not sent.</summary>
    public static string IdTag(string? token, string field)
    {
        if (string.IsNullOrEmpty(token))
        {
            throw JsonPayload.Required(field, "the identifier (e.g. the RFID UID) to authorize with");
        }
        return token.Length <= 20
            ? token
            : throw new CommandNotExpressibleException(
                $"{field} is {token.Length} characters, but an OCPP 1.6 idTag holds at most 20: use a shorter identifier for this station.");
    }

    public static JsonObject IdToken(string? token, string? type, OcppVersion version, string field)
    {
        if (token is null)
        {
            throw JsonPayload.Required(field, "the identifier (e.g. the RFID UID) to authorize with");
        }
        var maxLength = version == OcppVersion.V201 ? 36 : 255;
        if (token.Length > maxLength)
        {
            throw new CommandNotExpressibleException(
                $"{field} is {token.Length} characters, but an OCPP {version.Number()} idToken holds at most {maxLength}.");
        }
        return new JsonObject { ["idToken"] = token, ["type"] = Type(type, version, field + "Type") };
    }

    private static string Type(string? type, OcppVersion version, string field)
    {
        if (type is null)
        {
            return DefaultType;
        }
        if (version == OcppVersion.V201)
        {
            return JsonPayload.Canonical(type, Types201)
                ?? throw new CommandNotExpressibleException(
                    $"{field} '{type}' is not an OCPP 2.0.1 IdTokenEnumType; use one of {string.Join(", ", Types201)}.");
        }
        return type.Length is > 0 and <= 20
            ? JsonPayload.Canonical(type, Types201) ?? type
            : throw new CommandNotExpressibleException($"{field} must be 1 to 20 characters in OCPP 2.1 (IdTokenEnumStringType).");
    }
}
