using Csms.Grains.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Csms.Silo.Tests;

[Collection(PostgresCollection.Name)]
public sealed class SchemaMigrationTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Several_processes_migrating_at_once_apply_each_file_exactly_once()
    {
        var database = await postgres.Server.CreateDatabaseAsync();

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresSchema.MigrateAsync(database, NullLogger.Instance)));

        Assert.Equal(PostgresSchema.Files.Select(f => f.Version), runs.SelectMany(r => r).Order(StringComparer.Ordinal));
        Assert.Equal(PostgresSchema.Files.Count, await PostgresServer.ScalarAsync<long>(database, "SELECT count(*) FROM csms_schema_migrations"));
    }

    [Fact]
    public async Task Migrating_a_current_database_again_changes_nothing()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await PostgresSchema.MigrateAsync(database, NullLogger.Instance);

        Assert.Empty(await PostgresSchema.MigrateAsync(database, NullLogger.Instance));
    }

    [Fact]
    public async Task The_schema_holds_the_Orleans_query_rows()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await PostgresSchema.MigrateAsync(database, NullLogger.Instance);

        Assert.True(await PostgresServer.ScalarAsync<long>(database, "SELECT count(*) FROM OrleansQuery") >= 10);
        Assert.NotEmpty(PostgresSchema.Files);
    }
}
