using System.Security.Cryptography;
using System.Text;

namespace Csms.Gateway.Api.Security;

/// <summary>
/// Stations' HTTP Basic-auth passwords (security profiles 1 and 2): stored as salted PBKDF2-SHA256, compared in
/// constant time. Format: <c>pbkdf2-sha256$iterations$salt$hash</c> (base64).
/// </summary>
public static class StationPasswords
{
    private const int Iterations = 100_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>
    /// A new random password (A01.FR.07): 20 random bytes as 40 upper-case hex digits, so the same value is a valid 1.6
    /// AuthorizationKey and a valid 2.x BasicAuthPassword.
    /// </summary>
    public static string Generate() => Convert.ToHexString(RandomNumberGenerator.GetBytes(20));

    /// <summary>
    /// Whether the password bytes a station sent match <paramref name="stored"/>. Read as UTF-8 text first. A 1.6 station
    /// may instead send the AuthorizationKey's bytes rather than its hex text (the OCPP-J 1.6 section 6.2.2 example does);
    /// 16 to 20 bytes that are not printable text are therefore also tried as hex digits, in both cases.
    /// </summary>
    public static bool Matches(byte[] presented, string stored)
    {
        var text = TryUtf8(presented);
        if (text is not null && Verify(text, stored))
        {
            return true;
        }
        if (presented.Length is < 16 or > 20 || (text is not null && text.All(c => c is >= '!' and <= '~')))
        {
            return false;
        }
        var hex = Convert.ToHexString(presented);
        return Verify(hex, stored) || Verify(hex.ToLowerInvariant(), stored);
    }

    /// <summary>UTF-8 that throws on invalid bytes instead of replacing them.</summary>
    public static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private static string? TryUtf8(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"pbkdf2-sha256${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], out var iterations) || iterations < 1)
        {
            return false;
        }
        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
