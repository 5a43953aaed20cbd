using System.Globalization;
using Csms.Grains.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Csms.Cluster.Tests;

/// <summary>Silos and gateways of one test's cluster (its own database and cluster id), all on free loopback ports.</summary>
public sealed class LocalCluster(string connectionString) : IAsyncDisposable
{
    private readonly List<ClusterProcess> _processes = [];
    private readonly Dictionary<string, int> _siloPorts = [];

    public string ConnectionString { get; } = connectionString;

    public string ClusterId { get; } = $"t{Guid.NewGuid():N}"[..12];

    public async Task<ClusterProcess> StartSiloAsync(string name)
    {
        var siloPort = Loopback.FreePort();
        var silo = ClusterProcess.Start(name, "Silo", Loopback.FreePort(), new Dictionary<string, string>
        {
            ["ConnectionStrings__Csms"] = ConnectionString,
            ["Orleans__ClusterId"] = ClusterId,
            ["Silo__AdvertisedAddress"] = "127.0.0.1",
            ["Silo__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Silo__GatewayPort"] = Loopback.FreePort().ToString(CultureInfo.InvariantCulture),
            // quicker failure detection than the defaults, as an operator would tune it (see README)
            ["Orleans__Membership__ProbeTimeout"] = "00:00:02",
            ["Orleans__Membership__NumMissedProbesLimit"] = "2",
        });
        _processes.Add(silo);
        _siloPorts[name] = siloPort;
        await silo.WaitReadyAsync();
        return silo;
    }

    public async Task<ClusterProcess> StartGatewayAsync(string name)
    {
        var gateway = ClusterProcess.Start(name, "Gateway", Loopback.FreePort(), new Dictionary<string, string>
        {
            ["ConnectionStrings__Csms"] = ConnectionString,
            ["Orleans__ClusterId"] = ClusterId,
            ["Gateway__Mode"] = "Cluster",
            ["Gateway__GatewayId"] = name,
            ["Api__AdminKey"] = ClusterProcess.AdminKey,
            // long enough that only the immediate re-announce (a grain reporting it lost its link) can restore links in a test
            ["Gateway__ReannounceSeconds"] = "600",
        });
        _processes.Add(gateway);
        await gateway.WaitReadyAsync();
        return gateway;
    }

    /// <summary>The silo a station snapshot's <c>hostedBy</c> names (Orleans writes "S127.0.0.1:PORT:GENERATION").</summary>
    public ClusterProcess SiloHosting(string hostedBy)
    {
        var port = int.Parse(hostedBy.Split(':')[1], CultureInfo.InvariantCulture);
        var name = _siloPorts.Single(s => s.Value == port).Key;
        return _processes.Single(p => p.Name == name && !p.Exited);
    }

    /// <summary>An Orleans client of this cluster, as an operator tool would use (the operator API is a gateway's).</summary>
    public async Task<IHost> ConnectClientAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(c => c.UseCsmsPostgres(new CsmsClusterSettings(ConnectionString, ClusterId, "csms", MigrateOnStartup: false)));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters) =>
        PostgresServer.ScalarAsync<T>(ConnectionString, sql, parameters);

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }
}
