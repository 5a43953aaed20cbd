using Csms.Grains.Interfaces.Transactions;
using Csms.Grains.Ledger;
using Csms.Grains.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Csms.Silo.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresLedgerTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_completed_transaction_is_one_row_however_often_it_is_recorded()
    {
        var ledger = await Ledger();

        Assert.True(await ledger.RecordCompletedAsync("cp-1", Transaction("42", events: 3, energy: 1500)));
        Assert.False(await ledger.RecordCompletedAsync("cp-1", Transaction("42", events: 3, energy: 1500)));

        var row = Assert.Single(await ledger.ListAsync("cp-1", 10));
        Assert.Equal(("42", 1500m, 3), (row.TransactionId, row.EnergyWh, row.EventsReceived));
    }

    [Fact]
    public async Task A_row_is_completed_by_a_later_snapshot_but_never_rolled_back_by_an_older_one()
    {
        var ledger = await Ledger();
        await ledger.RecordCompletedAsync("cp-2", Transaction("7", events: 2, energy: null, flags: ["StartNotReceived"]));

        await ledger.RecordCompletedAsync("cp-2", Transaction("7", events: 3, energy: 900));
        await ledger.RecordCompletedAsync("cp-2", Transaction("7", events: 2, energy: null, flags: ["StartNotReceived"]));

        var row = Assert.Single(await ledger.ListAsync("cp-2", 10));
        Assert.Equal(900m, row.EnergyWh);
        Assert.Empty(row.Flags);
    }

    [Fact]
    public async Task The_same_transaction_id_at_two_stations_is_two_rows()
    {
        var ledger = await Ledger();

        Assert.True(await ledger.RecordCompletedAsync("cp-a", Transaction("1", events: 2, energy: 10)));
        Assert.True(await ledger.RecordCompletedAsync("cp-b", Transaction("1", events: 2, energy: 20)));

        Assert.Equal(20m, Assert.Single(await ledger.ListAsync("cp-b", 10)).EnergyWh);
    }

    private async Task<PostgresTransactionLedger> Ledger()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await PostgresSchema.MigrateAsync(database, NullLogger.Instance);
        return new PostgresTransactionLedger(NpgsqlDataSource.Create(database));
    }

    private static TransactionSnapshot Transaction(string id, int events, decimal? energy, string[]? flags = null) =>
        new(id, 1, 1, "TAG", energy is null ? null : T0, T0.AddHours(1), energy is null ? null : 1000m, 1000m + (energy ?? 0), energy,
            "Idle", "Local", [], 0, events, false, flags ?? [], 0);
}
