using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Csms.Grains.Hosting;

/// <summary>
/// Cluster mode's settings, read the standard ASP.NET Core way: <c>ConnectionStrings:Csms</c> (environment
/// <c>ConnectionStrings__Csms</c>), <c>Orleans:ClusterId</c>, <c>Orleans:ServiceId</c>, <c>Database:MigrateOnStartup</c>.
/// </summary>
public sealed record CsmsClusterSettings(string ConnectionString, string ClusterId, string ServiceId, bool MigrateOnStartup)
{
    public const string ConnectionStringName = "Csms";

    /// <summary>Reads and checks the settings; a missing or malformed connection string fails here, naming the setting to fix.</summary>
    public static CsmsClusterSettings From(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new CsmsConfigurationException(
                $"ConnectionStrings:{ConnectionStringName} is not set. Cluster mode keeps its state in PostgreSQL: set it in appsettings.json or " +
                $"as the environment variable ConnectionStrings__{ConnectionStringName}, e.g. " +
                "\"Host=127.0.0.1;Port=5432;Database=csms;Username=csms;Password=...\".");
        }
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new CsmsConfigurationException(
                $"ConnectionStrings:{ConnectionStringName} is not a valid PostgreSQL (Npgsql) connection string: {ex.Message}", ex);
        }
        return new CsmsClusterSettings(
            connectionString,
            configuration["Orleans:ClusterId"] is { Length: > 0 } clusterId ? clusterId : "csms",
            configuration["Orleans:ServiceId"] is { Length: > 0 } serviceId ? serviceId : "csms",
            configuration.GetValue("Database:MigrateOnStartup", true));
    }

    /// <summary>Host, port and database for messages; never the password.</summary>
    public string Describe()
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }
}
