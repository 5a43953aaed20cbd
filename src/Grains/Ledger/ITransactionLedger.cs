using Csms.Grains.Interfaces.History;
using Csms.Grains.Interfaces.Transactions;

namespace Csms.Grains.Ledger;

/// <summary>
/// The billing ledger: one row per completed transaction, keyed by (station, transaction id). Standalone mode
/// keeps it in memory; cluster mode writes it to PostgreSQL.
/// </summary>
public interface ITransactionLedger
{
    /// <summary>
    /// Records a completed transaction, or brings its row up to date when a late (offline) event completed what was
    /// known of it; a retry of the same snapshot changes nothing. Returns true when the row is new.
    /// </summary>
    Task<bool> RecordCompletedAsync(string stationId, TransactionSnapshot transaction, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TransactionSnapshot>> ListAsync(string stationId, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Rows matching every filter given, newest first: by the transaction's start (its end if the start never arrived),
    /// then by station and transaction id, descending. A keyset page: a cursor that is not a NextCursor of this list
    /// throws <see cref="ArgumentException"/>, a limit outside 1..500 <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    Task<Page<LedgerTransaction>> QueryAsync(TransactionQuery query, CancellationToken cancellationToken = default);

    /// <summary>One row; null if the ledger has none for this station and transaction id.</summary>
    Task<LedgerTransaction?> GetAsync(string stationId, string transactionId, CancellationToken cancellationToken = default);
}
