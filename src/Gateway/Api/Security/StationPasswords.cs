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
    /// 2.0.1 BasicAuthPassword is a string of 16 to 40 characters (Part 2 appendix, SecurityCtrlr); 1.6's AuthorizationKey
    /// is 16 to 20 bytes written as hex (up to 40 characters). Printable ASCII keeps both versions' stations able to type it.
    /// </summary>
    public static string? Problem(string password) =>
        password.Length is < 16 or > 40 ? "password must be 16 to 40 characters (OCPP 2.0.1 BasicAuthPassword)"
        : password.Any(c => c is < '!' or > '~') ? "password must be printable ASCII without spaces"
        : null;

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
