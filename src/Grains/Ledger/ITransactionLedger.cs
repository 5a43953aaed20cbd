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
}
