using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Interfaces.Transactions;
using Csms.Grains.Records;
using Csms.Grains.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Csms.Silo.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresStationRecordStoreTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_batch_of_events_sent_twice_is_stored_once()
    {
        var (store, database) = await Store();
        SequencedEvent[] batch = [new(1, new StationEvent(T0, "Boot", "Acme One")), new(2, new StationEvent(T0.AddSeconds(1), "Connected", "g1"))];

        await store.AppendEventsAsync("cp-1", batch);
        await store.AppendEventsAsync("cp-1", batch);

        Assert.Equal(2L, await PostgresServer.ScalarAsync<long>(database, "SELECT count(*) FROM csms_station_events WHERE station_id = 'cp-1'"));
    }

    [Fact]
    public async Task Meter_values_keep_their_transaction_and_are_stored_once_per_sequence_number()
    {
        var (store, database) = await Store();
        SequencedSample[] batch =
        [
            new(1, "42", new MeterSample(T0, "Energy.Active.Import.Register", 1500m, "Wh", null, "Sample.Periodic", null)),
            new(2, null, new MeterSample(T0, "Power.Active.Import", 7400m, "W", "L1", "Sample.Periodic", "Outlet")),
        ];

        await store.AppendMeterValuesAsync("cp-2", 1, batch);
        await store.AppendMeterValuesAsync("cp-2", 1, batch[..1]);

        Assert.Equal(2L, await PostgresServer.ScalarAsync<long>(database, "SELECT count(*) FROM csms_meter_values WHERE station_id = 'cp-2'"));
        Assert.Equal(1500m, await PostgresServer.ScalarAsync<decimal>(database, "SELECT value FROM csms_meter_values WHERE station_id = 'cp-2' AND transaction_id = '42'"));
    }

    [Fact]
    public async Task The_registry_keeps_the_latest_view_of_a_station()
    {
        var (store, database) = await Store();
        var boot = new BootInfo("Acme", "One", "SN1", "1.0", "PowerUp", T0);

        await store.UpsertStationAsync(new StationRegistryEntry("cp-3", boot, RegistrationStatus.Accepted, "1.6", true, "g1", T0.AddMinutes(2)));
        await store.UpsertStationAsync(new StationRegistryEntry("cp-3", boot, RegistrationStatus.Accepted, "1.6", false, "g1", T0.AddMinutes(1)));

        Assert.True(await PostgresServer.ScalarAsync<bool>(database, "SELECT connected FROM csms_stations WHERE station_id = 'cp-3'"));
        Assert.Equal("Acme", await PostgresServer.ScalarAsync<string>(database, "SELECT vendor FROM csms_stations WHERE station_id = 'cp-3'"));
    }

    private async Task<(PostgresStationRecordStore Store, string Database)> Store()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await PostgresSchema.MigrateAsync(database, NullLogger.Instance);
        return (new PostgresStationRecordStore(NpgsqlDataSource.Create(database)), database);
    }
}
