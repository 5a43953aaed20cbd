using System.Collections.Concurrent;
using Csms.Grains.Interfaces.History;
using Csms.Grains.Interfaces.Transactions;
using Csms.Grains.Ledger;

namespace Csms.Grains.Tests.Cluster;

/// <summary>
/// The silo's real ledger behind a switch: a test names a station whose next ledger write fails (as a database that
/// drops the connection during a failover would), everything else passes through.
/// </summary>
public sealed class FaultInjectingLedger(ITransactionLedger inner) : ITransactionLedger
{
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);

    /// <summary>The next <paramref name="count"/> writes for <paramref name="stationId"/> throw.</summary>
    public void FailNextWrites(string stationId, int count = 1) => _failures[stationId] = count;

    public Task<bool> RecordCompletedAsync(string stationId, TransactionSnapshot transaction, CancellationToken cancellationToken = default)
    {
        if (_failures.TryGetValue(stationId, out var left) && left > 0 && _failures.TryUpdate(stationId, left - 1, left))
        {
            throw new IOException($"injected ledger failure for {stationId}");
        }
        return inner.RecordCompletedAsync(stationId, transaction, cancellationToken);
    }

    public Task<IReadOnlyList<TransactionSnapshot>> ListAsync(string stationId, int limit, CancellationToken cancellationToken = default) =>
        inner.ListAsync(stationId, limit, cancellationToken);

    public Task<Page<LedgerTransaction>> QueryAsync(TransactionQuery query, CancellationToken cancellationToken = default) =>
        inner.QueryAsync(query, cancellationToken);

    public Task<LedgerTransaction?> GetAsync(string stationId, string transactionId, CancellationToken cancellationToken = default) =>
        inner.GetAsync(stationId, transactionId, cancellationToken);
}
