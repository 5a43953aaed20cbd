using System.Collections.Concurrent;
using Csms.Grains.History;
using Csms.Grains.Interfaces.Authorization;
using Csms.Grains.Interfaces.History;

namespace Csms.Grains.Authorization;

/// <summary>Standalone mode's token list: lives as long as the process.</summary>
public sealed class InMemoryIdTokenStore : IIdTokenStore
{
    private readonly ConcurrentDictionary<string, IdTokenEntry> _tokens = new(StringComparer.Ordinal);

    public Task UpsertAsync(IdTokenEntry entry, CancellationToken cancellationToken = default)
    {
        _tokens[entry.IdToken] = entry;
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string idToken, CancellationToken cancellationToken = default)
    {
        _tokens.TryRemove(idToken, out _);
        return Task.CompletedTask;
    }

    public Task<Page<IdTokenEntry>> ListAsync(IdTokenQuery query, CancellationToken cancellationToken = default)
    {
        var limit = Paging.CheckLimit(query.Limit);
        var after = Paging.ReadKeyCursor(query.Cursor, Paging.IdTokens);
        var rows = _tokens.Values
            .Where(t => (after is null || string.CompareOrdinal(t.IdToken, after) > 0)
                && (query.GroupId is null || t.Record.GroupId == query.GroupId)
                && (query.Status is null || t.Record.Status == query.Status))
            .OrderBy(t => t.IdToken, StringComparer.Ordinal)
            .Take(limit + 1)
            .ToArray();
        return Task.FromResult(Paging.ToPage(rows, limit, t => Paging.KeyCursor(Paging.IdTokens, t.IdToken)));
    }
}
