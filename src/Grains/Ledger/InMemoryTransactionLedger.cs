using System.Collections.Concurrent;
using Csms.Grains.History;
using Csms.Grains.Interfaces.History;
using Csms.Grains.Interfaces.Transactions;

namespace Csms.Grains.Ledger;

/// <summary>The standalone ledger: lives as long as the process.</summary>
public sealed class InMemoryTransactionLedger(TimeProvider? time = null) : ITransactionLedger
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<(string Station, string TransactionId), Row> _rows = new();

    public Task<bool> RecordCompletedAsync(string stationId, TransactionSnapshot transaction, CancellationToken cancellationToken = default)
    {
        var added = false;
        _rows.AddOrUpdate((stationId, transaction.TransactionId),
            _ =>
            {
                added = true;
                return new Row(transaction, _time.GetUtcNow());
            },
            // the snapshot that has seen more events is the more complete one
            (_, existing) => transaction.EventsReceived > existing.Transaction.EventsReceived ? existing with { Transaction = transaction } : existing);
        return Task.FromResult(added);
    }

    public Task<IReadOnlyList<TransactionSnapshot>> ListAsync(string stationId, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<TransactionSnapshot>>(_rows
            .Where(r => r.Key.Station == stationId)
            .Select(r => r.Value.Transaction)
            .OrderByDescending(t => t.EndedAt)
            .Take(limit)
            .ToArray());

    public Task<Page<LedgerTransaction>> QueryAsync(TransactionQuery query, CancellationToken cancellationToken = default)
    {
        var limit = Paging.CheckLimit(query.Limit);
        var after = Paging.ReadTransactionCursor(query.Cursor);
        var rows = _rows
            .Select(r => (r.Key.Station, r.Key.TransactionId, At: r.Value.SortTime, r.Value))
            .Where(r => (query.StationId is null || r.Station == query.StationId)
                && (query.IdToken is null || r.Value.Transaction.IdToken == query.IdToken)
                && (query.From is null || r.At >= query.From)
                && (query.To is null || r.At < query.To)
                && (after is not { } a || Before(r.At, r.Station, r.TransactionId, a)))
            .OrderByDescending(r => r.At)
            .ThenByDescending(r => r.Station, StringComparer.Ordinal)
            .ThenByDescending(r => r.TransactionId, StringComparer.Ordinal)
            .Take(limit + 1)
            .Select(r => new LedgerTransaction(r.Station, r.Value.Transaction, r.Value.RecordedAt))
            .ToArray();
        return Task.FromResult(Paging.ToPage(rows, limit,
            r => Paging.TransactionCursor(SortTime(r.Transaction, r.RecordedAt), r.StationId, r.Transaction.TransactionId)));
    }

    public Task<LedgerTransaction?> GetAsync(string stationId, string transactionId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_rows.TryGetValue((stationId, transactionId), out var row)
            ? new LedgerTransaction(stationId, row.Transaction, row.RecordedAt)
            : null);

    /// <summary>The row's place in the newest-first order, as PostgreSQL sorts it: start, else end, else when it was written.</summary>
    private static DateTimeOffset SortTime(TransactionSnapshot t, DateTimeOffset recordedAt) => t.StartedAt ?? t.EndedAt ?? recordedAt;

    private static bool Before(DateTimeOffset at, string station, string transactionId, TransactionPosition position)
    {
        var order = at.CompareTo(position.At);
        if (order == 0)
        {
            order = string.CompareOrdinal(station, position.StationId);
        }
        if (order == 0)
        {
            order = string.CompareOrdinal(transactionId, position.TransactionId);
        }
        return order < 0;
    }

    private sealed record Row(TransactionSnapshot Transaction, DateTimeOffset RecordedAt)
    {
        public DateTimeOffset SortTime => InMemoryTransactionLedger.SortTime(Transaction, RecordedAt);
    }
}
