using Csms.Grains.Ledger;
using Csms.Grains.Records;
using Csms.Tests.Shared;

namespace Csms.Grains.Tests.History;

/// <summary>Standalone mode's stores against the history contract (the same tests run against PostgreSQL in Silo.Tests).</summary>
public sealed class InMemoryHistoryStoreTests : HistoryStoreContract
{
    protected override Task<IStationRecordStore> NewStoreAsync() => Task.FromResult<IStationRecordStore>(new InMemoryStationRecordStore());

    protected override Task<ITransactionLedger> NewLedgerAsync() => Task.FromResult<ITransactionLedger>(new InMemoryTransactionLedger());
}
