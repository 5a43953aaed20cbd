using Csms.Grains.Interfaces.Transactions;

namespace Csms.Grains.Ledger;

/// <summary>
/// The billing ledger: one row per completed transaction, idempotent on (station, transaction id). Standalone mode
/// keeps it in memory; cluster mode writes it to PostgreSQL.
/// </summary>
public interface ITransactionLedger
{
    /// <summary>Records a completed transaction; a second call for the same (station, transaction id) changes nothing and returns false.</summary>
    Task<bool> RecordCompletedAsync(string stationId, TransactionSnapshot transaction, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TransactionSnapshot>> ListAsync(string stationId, int limit, CancellationToken cancellationToken = default);
}
