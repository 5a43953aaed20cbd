namespace Csms.Grains.Interfaces.Stations;

/// <summary>
/// The charging station identity from the connection URL. OCPP-J (2.0.1 Part 4 section 3.1.1): at most 48 characters and no ':'
/// (it would break HTTP Basic auth). Canonical form (the grain key) is lower-case invariant, so "CP-01" and "cp-01"
/// are one station.
/// </summary>
public static class StationIdentity
{
    public const int MaxLength = 48;

    public static bool TryCanonicalize(string? decoded, out string canonical, out string problem)
    {
        canonical = "";
        if (string.IsNullOrEmpty(decoded))
        {
            problem = "station identity is empty";
            return false;
        }
        if (decoded.Length > MaxLength)
        {
            problem = $"station identity is longer than {MaxLength} characters";
            return false;
        }
        foreach (var c in decoded)
        {
            if (c == ':')
            {
                problem = "station identity must not contain ':'";
                return false;
            }
            // spaces are allowed (the spec's own example is "RDAM 123"); '/' would break the "{station}/{evse}" EVSE key
            if (char.IsControl(c) || c == '/')
            {
                problem = "station identity must not contain control characters or '/'";
                return false;
            }
        }
        canonical = decoded.ToLowerInvariant();
        problem = "";
        return true;
    }
}
