using System.Security.Cryptography;
using System.Text;

namespace Csms.Gateway.Api.Security;

/// <summary>API key format and hashing. Keys are 256 random bits; only their SHA-256 is stored anywhere.</summary>
public static class ApiKeys
{
    public const string Prefix = "csms_";

    public static string Generate() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string NewKeyId() => "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
