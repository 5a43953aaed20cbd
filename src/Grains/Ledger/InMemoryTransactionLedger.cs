using System.Collections.Concurrent;
using Csms.Grains.Interfaces.Transactions;

namespace Csms.Grains.Ledger;

/// <summary>The standalone ledger: lives as long as the process.</summary>
public sealed class InMemoryTransactionLedger : ITransactionLedger
{
    private readonly ConcurrentDictionary<(string Station, string TransactionId), TransactionSnapshot> _rows = new();

    public Task<bool> RecordCompletedAsync(string stationId, TransactionSnapshot transaction, CancellationToken cancellationToken = default)
    {
        var added = false;
        _rows.AddOrUpdate((stationId, transaction.TransactionId),
            _ =>
            {
                added = true;
                return transaction;
            },
            // the snapshot that has seen more events is the more complete one
            (_, existing) => transaction.EventsReceived > existing.EventsReceived ? transaction : existing);
        return Task.FromResult(added);
    }

    public Task<IReadOnlyList<TransactionSnapshot>> ListAsync(string stationId, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<TransactionSnapshot>>(_rows
            .Where(r => r.Key.Station == stationId)
            .Select(r => r.Value)
            .OrderByDescending(t => t.EndedAt)
            .Take(limit)
            .ToArray());
}
