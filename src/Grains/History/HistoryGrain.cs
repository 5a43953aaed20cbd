using Csms.Grains.Authorization;
using Csms.Grains.Interfaces.Authorization;
using Csms.Grains.Interfaces.History;
using Csms.Grains.Ledger;
using Csms.Grains.Records;

namespace Csms.Grains.History;

/// <summary>
/// The read side of the registry, the ledger and the record store. Holds nothing, so it runs on the silo the caller
/// reached, as many activations as the load needs; the queries go to whichever store the host registered.
/// </summary>
[StatelessWorker]
public sealed class HistoryGrain(IStationRecordStore records, ITransactionLedger ledger, IIdTokenStore idTokens) : Grain, IHistoryGrain
{
    public Task<Page<StationSummary>> ListStations(StationQuery query) => records.ListStationsAsync(query);

    public Task<Page<LedgerTransaction>> ListTransactions(TransactionQuery query) => ledger.QueryAsync(query);

    public async Task<TransactionDetail?> GetTransaction(string stationId, string transactionId)
    {
        var row = await ledger.GetAsync(stationId, transactionId);
        return row is null ? null : new TransactionDetail(row, await records.ListTransactionMeterValuesAsync(stationId, transactionId));
    }

    public Task<Page<StoredStationEvent>> ListEvents(EventQuery query) => records.ListEventsAsync(query);

    public Task<Page<StoredCommand>> ListCommands(CommandQuery query) => records.ListCommandsAsync(query);

    public Task<IReadOnlyList<StoredMeterValue>> GetTransactionMeterValues(string stationId, string transactionId) =>
        records.ListTransactionMeterValuesAsync(stationId, transactionId);

    public Task<Page<IdTokenEntry>> ListIdTokens(IdTokenQuery query) => idTokens.ListAsync(query);
}
