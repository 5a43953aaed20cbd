using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Csms.Grains.Storage;

/// <summary>
/// Applies the versioned schema under <c>deploy/sql</c> (embedded in this assembly) to PostgreSQL. Every file is written to
/// be re-applicable; a file is applied when it is new or changed, in name order, each in its own transaction, under a
/// session advisory lock so that several silos starting at once apply it exactly once.
/// </summary>
public static class PostgresSchema
{
    private const string ResourcePrefix = "Csms.Sql.";

    // any constant both sides agree on; "csms" in ASCII
    private const long AdvisoryLockKey = 0x63736d73;

    public static IReadOnlyList<(string Version, string Sql)> Files { get; } = LoadFiles();

    /// <summary>Applies what is new or changed; returns the versions applied.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(string connectionString, ILogger logger, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await Execute(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await Execute(connection, """
                CREATE TABLE IF NOT EXISTS csms_schema_migrations (
                    version    text PRIMARY KEY,
                    checksum   text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);

            var applied = new Dictionary<string, string>(StringComparer.Ordinal);
            await using (var read = new NpgsqlCommand("SELECT version, checksum FROM csms_schema_migrations", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied[reader.GetString(0)] = reader.GetString(1);
                }
            }

            var done = new List<string>();
            foreach (var (version, sql) in Files)
            {
                var checksum = Checksum(sql);
                if (applied.TryGetValue(version, out var known) && known == checksum)
                {
                    continue;
                }
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await Execute(connection, sql, cancellationToken, transaction);
                await using (var record = new NpgsqlCommand("""
                    INSERT INTO csms_schema_migrations (version, checksum) VALUES (@version, @checksum)
                    ON CONFLICT (version) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now()
                    """, connection, transaction))
                {
                    record.Parameters.AddWithValue("version", version);
                    record.Parameters.AddWithValue("checksum", checksum);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Applied database schema {Version}", version);
                done.Add(version);
            }
            return done;
        }
        finally
        {
            await Execute(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Checksum(string sql) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));

    private static List<(string, string)> LoadFiles()
    {
        var assembly = Assembly.GetExecutingAssembly();
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream, Encoding.UTF8);
                return (Path.GetFileNameWithoutExtension(name[ResourcePrefix.Length..]), reader.ReadToEnd());
            })
            .ToList();
    }
}
