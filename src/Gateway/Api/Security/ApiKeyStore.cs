using System.Collections.Frozen;
using Csms.Grains.Interfaces.ApiKeys;
using Microsoft.Extensions.Options;

namespace Csms.Gateway.Api.Security;

/// <summary>Who an API key belongs to.</summary>
public sealed record ApiKeyHolder(string KeyId, string Name, ApiRole Role, DateTimeOffset? ExpiresAt, bool FromConfiguration);

/// <summary>
/// Every key this gateway accepts, by hash: the configured ones and a cached copy of the registry grain's. Requests
/// are checked against this copy only, so an unauthenticated request never reaches a grain.
/// </summary>
public sealed class ApiKeyStore
{
    private readonly FrozenDictionary<string, ApiKeyHolder> _configured;
    private volatile FrozenDictionary<string, ApiKeyHolder> _all;

    public ApiKeyStore(IOptions<ApiOptions> options, GeneratedAdminKey generated)
    {
        var o = options.Value;
        var configured = new Dictionary<string, ApiKeyHolder>(StringComparer.Ordinal);
        var adminKey = string.IsNullOrWhiteSpace(o.AdminKey) ? generated.Key : o.AdminKey.Trim();
        if (adminKey is not null)
        {
            configured[ApiKeys.Hash(adminKey)] = new ApiKeyHolder("admin", "admin (Api:AdminKey)", ApiRole.Admin, null, true);
        }
        for (var i = 0; i < o.Keys.Count; i++)
        {
            var key = o.Keys[i];
            var hash = key.Sha256.Trim().ToLowerInvariant();
            if (hash.Length != 64 || !hash.All(Uri.IsHexDigit))
            {
                throw new OptionsValidationException(ApiOptions.Section, typeof(ApiOptions),
                    [$"Api:Keys:{i}:Sha256 must be the 64-hex-digit SHA-256 of the key (dotnet run --project src/Gateway -- hash-key KEY)"]);
            }
            configured[hash] = new ApiKeyHolder($"config-{i}", string.IsNullOrWhiteSpace(key.Name) ? $"Api:Keys:{i}" : key.Name, key.Role, null, true);
        }
        _configured = configured.ToFrozenDictionary(StringComparer.Ordinal);
        _all = _configured;
    }

    public bool IsEmpty => _all.Count == 0;

    /// <summary>The holder of <paramref name="key"/>, if it is a valid, unexpired key.</summary>
    public ApiKeyHolder? Find(string key, DateTimeOffset now) =>
        _all.TryGetValue(ApiKeys.Hash(key), out var holder) && !(holder.ExpiresAt <= now) ? holder : null;

    /// <summary>Replaces the cached registry keys (configured keys always win on a clash).</summary>
    public void Update(IEnumerable<ApiKeyEntry> registry)
    {
        var all = new Dictionary<string, ApiKeyHolder>(_configured, StringComparer.Ordinal);
        foreach (var entry in registry)
        {
            all.TryAdd(entry.Sha256Hex, new ApiKeyHolder(entry.KeyId, entry.Name, entry.Role, entry.ExpiresAt, false));
        }
        _all = all.ToFrozenDictionary(StringComparer.Ordinal);
    }
}

/// <summary>Standalone mode's admin key when none is configured: made at start-up, printed once, valid until the process stops.</summary>
public sealed record GeneratedAdminKey(string? Key);
