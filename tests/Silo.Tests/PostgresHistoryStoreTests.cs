using System.Security.Cryptography;
using System.Text;
using Csms.Grains.Interfaces.History;
using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Ledger;
using Csms.Grains.Records;
using Csms.Grains.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Csms.Silo.Tests;

/// <summary>Cluster mode's stores against the history contract (the same tests run in memory in Grains.Tests), and migration 005.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresHistoryStoreTests(PostgresFixture postgres) : HistoryStoreContract
{
    private const string OperatorApiVersion = "005_csms_operator_api";

    private NpgsqlDataSource? _database;

    protected override async Task<IStationRecordStore> NewStoreAsync() => new PostgresStationRecordStore(await Database());

    protected override async Task<ITransactionLedger> NewLedgerAsync() => new PostgresTransactionLedger(await Database());

    [Fact]
    public async Task Migration_005_brings_a_database_of_001_to_004_up_to_date_and_keeps_its_rows()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            // the state a silo of the previous release left behind: 001-004 applied and recorded, rows written
            await Execute(connection, """
                CREATE TABLE csms_schema_migrations (
                    version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                """);
            foreach (var (version, sql) in PostgresSchema.Files.Where(f => string.CompareOrdinal(f.Version, OperatorApiVersion) < 0))
            {
                await Execute(connection, sql);
                await Execute(connection, "INSERT INTO csms_schema_migrations (version, checksum) VALUES (@version, @checksum)",
                    ("version", version), ("checksum", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)))));
            }
            await Execute(connection, """
                INSERT INTO csms_stations (station_id, vendor, model, registration, connected, last_seen)
                VALUES ('cp-old', 'Acme', 'One', 'Accepted', true, '2026-01-01T10:00:00Z');
                INSERT INTO csms_transactions (station_id, transaction_id, evse_id, id_token, started_at, ended_at, energy_wh, events_received)
                VALUES ('cp-old', '7', 1, 'TAG', '2026-01-01T10:00:00Z', '2026-01-01T11:00:00Z', 1500, 3);
                """);
        }

        // exactly the files from 005 on, in order
        var later = PostgresSchema.Files.Select(f => f.Version).Where(v => string.CompareOrdinal(v, OperatorApiVersion) >= 0).ToArray();
        Assert.Equal(OperatorApiVersion, later[0]);
        Assert.Equal(later, await PostgresSchema.MigrateAsync(database, NullLogger.Instance));

        await using var source = NpgsqlDataSource.Create(database);
        var store = new PostgresStationRecordStore(source);
        var station = Assert.Single((await store.ListStationsAsync(new StationQuery(Vendor: "acme"))).Items);
        Assert.Equal(("cp-old", null, null, RegistrationStatus.Accepted), (station.StationId, station.Site, station.Description, station.Registration));
        var row = Assert.Single((await new PostgresTransactionLedger(source).QueryAsync(new TransactionQuery(IdToken: "TAG"))).Items);
        Assert.Equal(1500m, row.Transaction.EnergyWh);
        await store.AppendCommandsAsync("cp-old", [new StoredCommand("cp-old", 1, Command("c-1", "Reset", CommandState.Accepted, 0))]);
        Assert.Single((await store.ListCommandsAsync(new CommandQuery("cp-old"))).Items);
    }

    [Fact]
    public async Task Migration_005_applied_again_changes_nothing()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await PostgresSchema.MigrateAsync(database, NullLogger.Instance);
        var store = new PostgresStationRecordStore(NpgsqlDataSource.Create(database));
        await store.UpsertStationAsync(Station("cp-1", "Acme", "One", connected: true, site: "depot-1", description: "bay 3"));

        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await Execute(connection, PostgresSchema.Files.Single(f => f.Version == OperatorApiVersion).Sql);
        }

        var station = Assert.Single((await store.ListStationsAsync(new StationQuery(Site: "depot-1"))).Items);
        Assert.Equal("bay 3", station.Description);
    }

    private async Task<NpgsqlDataSource> Database()
    {
        if (_database is null)
        {
            var database = await postgres.Server.CreateDatabaseAsync();
            await PostgresSchema.MigrateAsync(database, NullLogger.Instance);
            _database = NpgsqlDataSource.Create(database);
        }
        return _database;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync();
    }
}
