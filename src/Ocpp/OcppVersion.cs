namespace Csms.Ocpp;

/// <summary>The OCPP-J protocol versions this library speaks, one per WebSocket subprotocol.</summary>
public enum OcppVersion
{
    V16,
    V201,
    V21,
}

public static class OcppVersions
{
    public static readonly IReadOnlyList<OcppVersion> All = [OcppVersion.V16, OcppVersion.V201, OcppVersion.V21];

    /// <summary>The WebSocket subprotocol token, as registered by the OCA (RFC 6455 section 1.9).</summary>
    public static string Subprotocol(this OcppVersion version) => version switch
    {
        OcppVersion.V16 => "ocpp1.6",
        OcppVersion.V201 => "ocpp2.0.1",
        OcppVersion.V21 => "ocpp2.1",
        _ => throw new ArgumentOutOfRangeException(nameof(version)),
    };

    /// <summary>The version number as people write it: 1.6, 2.0.1, 2.1.</summary>
    public static string Number(this OcppVersion version) => version switch
    {
        OcppVersion.V16 => "1.6",
        OcppVersion.V201 => "2.0.1",
        OcppVersion.V21 => "2.1",
        _ => throw new ArgumentOutOfRangeException(nameof(version)),
    };

    /// <summary>Parses a version number as <see cref="Number"/> writes it.</summary>
    public static bool TryParseNumber(string? number, out OcppVersion version)
    {
        foreach (var candidate in All)
        {
            if (candidate.Number() == number)
            {
                version = candidate;
                return true;
            }
        }
        version = default;
        return false;
    }

    public static bool TryParseSubprotocol(string? token, out OcppVersion version)
    {
        foreach (var candidate in All)
        {
            // subprotocol tokens are case-sensitive (RFC 6455 4.1), but real chargers send "OCPP1.6"; accept that spelling too
            if (string.Equals(candidate.Subprotocol(), token, StringComparison.OrdinalIgnoreCase))
            {
                version = candidate;
                return true;
            }
        }
        version = default;
        return false;
    }

    /// <summary>Parses "1.6", "2.0.1", "2.1" or a subprotocol token.</summary>
    public static bool TryParse(string? text, out OcppVersion version)
    {
        foreach (var candidate in All)
        {
            if (text == candidate.Number())
            {
                version = candidate;
                return true;
            }
        }
        return TryParseSubprotocol(text, out version);
    }

    /// <summary>2.0.1 and 2.1 share the same RPC framework error codes and message structure.</summary>
    public static bool IsTwoX(this OcppVersion version) => version is OcppVersion.V201 or OcppVersion.V21;
}
