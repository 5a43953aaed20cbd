using Csms.Grains.Hosting;
using Csms.Grains.Interfaces.ApiKeys;

namespace Csms.Grains.ApiKeys;

[GenerateSerializer]
public sealed class ApiKeyRegistryState
{
    [Id(0)] public List<ApiKeyEntry> Keys { get; set; } = [];
}

public sealed class ApiKeyRegistryGrain(
    [PersistentState("apikeys", CsmsStorage.ProviderName)] IPersistentState<ApiKeyRegistryState> state) : Grain, IApiKeyRegistryGrain
{
    /// <summary>Keys are for people and systems, not per request: a bound keeps the cached list small on every gateway.</summary>
    public const int Limit = 1000;

    public Task<IReadOnlyList<ApiKeyEntry>> List() => Task.FromResult<IReadOnlyList<ApiKeyEntry>>(state.State.Keys.ToArray());

    public async Task<bool> Add(ApiKeyEntry entry)
    {
        var keys = state.State.Keys;
        if (keys.Count >= Limit)
        {
            throw new InvalidOperationException($"there are already {Limit} API keys; revoke unused ones first");
        }
        if (keys.Exists(k => k.KeyId == entry.KeyId || k.Sha256Hex == entry.Sha256Hex))
        {
            return false;
        }
        keys.Add(entry);
        await state.WriteStateAsync();
        return true;
    }

    public async Task<bool> Revoke(string keyId)
    {
        if (state.State.Keys.RemoveAll(k => k.KeyId == keyId) == 0)
        {
            return false;
        }
        await state.WriteStateAsync();
        return true;
    }
}
