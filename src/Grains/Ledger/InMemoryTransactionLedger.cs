using System.Collections.Concurrent;
using Csms.Grains.Interfaces.Transactions;

namespace Csms.Grains.Ledger;

/// <summary>The standalone ledger: lives as long as the process.</summary>
public sealed class InMemoryTransactionLedger : ITransactionLedger
{
    private readonly ConcurrentDictionary<(string Station, string TransactionId), TransactionSnapshot> _rows = new();

    public Task<bool> RecordCompletedAsync(string stationId, TransactionSnapshot transaction, CancellationToken cancellationToken = default) =>
        Task.FromResult(_rows.TryAdd((stationId, transaction.TransactionId), transaction));

    public Task<IReadOnlyList<TransactionSnapshot>> ListAsync(string stationId, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<TransactionSnapshot>>(_rows
            .Where(r => r.Key.Station == stationId)
            .Select(r => r.Value)
            .OrderByDescending(t => t.EndedAt)
            .Take(limit)
            .ToArray());
}
