using Csms.Grains.Interfaces.Authorization;
using Csms.Grains.Interfaces.History;

namespace Csms.Grains.Authorization;

/// <summary>
/// The list view of the id tokens set through the API (each token's grain holds the truth and writes here on every
/// change): behind token lists and local authorization lists. Cluster mode: <c>csms_id_tokens</c>; standalone: memory.
/// </summary>
public interface IIdTokenStore
{
    Task UpsertAsync(IdTokenEntry entry, CancellationToken cancellationToken = default);

    Task RemoveAsync(string idToken, CancellationToken cancellationToken = default);

    /// <summary>By token; a bad cursor throws <see cref="ArgumentException"/>, a limit outside 1..500 <see cref="ArgumentOutOfRangeException"/>.</summary>
    Task<Page<IdTokenEntry>> ListAsync(IdTokenQuery query, CancellationToken cancellationToken = default);
}
