namespace Csms.Grains.Interfaces.ApiKeys;

/// <summary>Operator API roles; each includes the ones before it.</summary>
public enum ApiRole
{
    /// <summary>Reads state, history and the event stream.</summary>
    Viewer,
    /// <summary>Also sends commands to stations.</summary>
    Operator,
    /// <summary>Also manages registrations, id tokens and API keys.</summary>
    Admin,
}

/// <summary>An API key created through the API. Only the SHA-256 of the key is kept; the key itself is shown once.</summary>
[GenerateSerializer, Immutable]
public sealed record ApiKeyEntry(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string Name,
    [property: Id(2)] ApiRole Role,
    [property: Id(3)] string Sha256Hex,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset? ExpiresAt);

/// <summary>The cluster's API keys (one grain, key 0). Gateways cache the list, so a request never waits on this grain.</summary>
public interface IApiKeyRegistryGrain : IGrainWithIntegerKey
{
    [ReadOnly]
    Task<IReadOnlyList<ApiKeyEntry>> List();

    /// <summary>Adds a key; false if the id or the hash is already there.</summary>
    Task<bool> Add(ApiKeyEntry entry);

    /// <summary>Removes a key; false if there is no such key.</summary>
    Task<bool> Revoke(string keyId);
}
