using Csms.Grains.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Csms.Grains.Hosting;

/// <summary>
/// Runs before Orleans starts (it is registered first): checks that PostgreSQL answers and applies the schema, so a
/// wrong connection string fails the process at once with a message that says which setting to fix.
/// </summary>
public sealed class DatabaseStartup(CsmsClusterSettings settings, ILogger<DatabaseStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => PrepareAsync(settings, logger, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Applies the schema (or, with migration off, only connects); database errors become a <see cref="CsmsConfigurationException"/>.</summary>
    public static async Task PrepareAsync(CsmsClusterSettings settings, ILogger logger, CancellationToken cancellationToken = default)
    {
        try
        {
            if (settings.MigrateOnStartup)
            {
                var applied = await PostgresSchema.MigrateAsync(settings.ConnectionString, logger, cancellationToken);
                logger.LogInformation("Schema of {Database} is current ({Count} file(s) applied now)", settings.Describe(), applied.Count);
            }
            else
            {
                await using var connection = new NpgsqlConnection(settings.ConnectionString);
                await connection.OpenAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new CsmsConfigurationException(
                $"Cannot use PostgreSQL at {settings.Describe()} (ConnectionStrings:{CsmsClusterSettings.ConnectionStringName}): {ex.Message}", ex);
        }
    }
}
