using Csms.Grains.Hosting;
using Csms.Grains.Interfaces.Authorization;
using Microsoft.Extensions.Options;

namespace Csms.Grains.Authorization;

[GenerateSerializer]
public sealed class IdTokenState
{
    [Id(0)] public IdTokenRecord? Record { get; set; }
}

/// <summary>
/// An id token's authorization. Tokens set through the API are stored; otherwise the configured list decides,
/// then the unknown-token policy.
/// </summary>
public sealed class IdTokenGrain(
    [PersistentState("idtoken", CsmsStorage.ProviderName)] IPersistentState<IdTokenState> state,
    IOptions<CsmsOptions> options,
    IIdTokenStore store,
    TimeProvider clock) : Grain, IIdTokenGrain
{
    public Task<IdTokenDecision> Authorize()
    {
        var record = state.State.Record ?? Configured();
        if (record is null)
        {
            var status = options.Value.Authorization.AcceptsUnknown ? IdTokenStatus.Accepted : IdTokenStatus.Unknown;
            return Task.FromResult(new IdTokenDecision(status, null, null));
        }
        var effective = record.Status == IdTokenStatus.Accepted && record.ExpiresAt is { } expiry && expiry <= clock.GetUtcNow()
            ? IdTokenStatus.Expired
            : record.Status;
        return Task.FromResult(new IdTokenDecision(effective, record.ExpiresAt, record.GroupId));
    }

    public async Task Set(IdTokenRecord record)
    {
        state.State.Record = record;
        await state.WriteStateAsync();
        // the list view; a failure here fails the call, and the operator's retry writes both again
        await store.UpsertAsync(new IdTokenEntry(this.GetPrimaryKeyString(), record, clock.GetUtcNow()));
    }

    public Task<IdTokenRecord?> Get() => Task.FromResult(state.State.Record);

    public async Task<bool> Remove()
    {
        if (state.State.Record is null)
        {
            return false;
        }
        await store.RemoveAsync(this.GetPrimaryKeyString());
        await state.ClearStateAsync();
        return true;
    }

    private IdTokenRecord? Configured()
    {
        var key = this.GetPrimaryKeyString();
        var token = options.Value.Authorization.Tokens.FirstOrDefault(t => string.Equals(t.IdToken, key, StringComparison.OrdinalIgnoreCase));
        return token is null ? null : new IdTokenRecord(token.Status, token.ExpiresAt, token.GroupId);
    }

    /// <summary>Tokens are case-insensitive (hex RFID uids arrive in either case).</summary>
    public static string Canonical(string idToken) => idToken.ToUpperInvariant();
}
