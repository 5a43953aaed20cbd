using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Csms.Gateway.Ocpp.Security;

/// <summary>
/// Credentials this gateway has already verified, so a station's reconnect costs one HMAC instead of a PBKDF2
/// (100,000 iterations: tens of milliseconds of CPU each, which a reconnect storm of thousands of profile 1/2 stations
/// would otherwise pay all at once). An entry holds an HMAC of the password under a key that lives only in this
/// process, tied to the stored hash it matched: a new password (a new salted hash) never matches an old entry. Failed
/// attempts are never remembered; they always pay the full PBKDF2 (and count towards the failure limits).
/// </summary>
public sealed class VerifiedCredentials
{
    /// <summary>Beyond this many stations the cache starts over (it only saves work; forgetting is always safe).</summary>
    public const int MaxEntries = 200_000;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public bool Matches(string stationId, string storedHash, byte[] password) =>
        _entries.TryGetValue(stationId, out var entry) && string.Equals(entry.StoredHash, storedHash, StringComparison.Ordinal)
        && CryptographicOperations.FixedTimeEquals(entry.Mac, HMACSHA256.HashData(_key, password));

    public void Remember(string stationId, string storedHash, byte[] password)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
        _entries[stationId] = new Entry(storedHash, HMACSHA256.HashData(_key, password));
    }

    private sealed record Entry(string StoredHash, byte[] Mac);
}
