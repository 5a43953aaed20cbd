using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Csms.Grains.Hosting;

public static class CsmsSiloBuilderExtensions
{
    public static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(10);

    /// <summary>The ADO.NET invariant Orleans uses to find Npgsql.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// A single-machine silo: localhost clustering on the given ports and in-memory grain storage. Standalone mode
    /// uses it; nothing it holds survives the process.
    /// </summary>
    public static ISiloBuilder UseCsmsInMemoryLocalhost(this ISiloBuilder silo, int siloPort, int gatewayPort) =>
        silo.UseLocalhostClustering(siloPort, gatewayPort)
            .AddCsmsMemoryGrainStorage()
            .AddActivityPropagation();

    /// <summary>
    /// In-memory grain storage with Orleans' binary serializer, as in PostgreSQL. The memory provider's default is the
    /// Newtonsoft JSON serializer with type names, which a profile of the charging benchmark showed spending about a
    /// third of the busy CPU on every state write (bench/README.md).
    /// </summary>
    public static ISiloBuilder AddCsmsMemoryGrainStorage(this ISiloBuilder silo) =>
        silo.AddMemoryGrainStorage(CsmsStorage.ProviderName, (OptionsBuilder<MemoryGrainStorageOptions> options) =>
            options.Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));

    /// <summary>Cluster mode: membership and grain state in PostgreSQL through Orleans' ADO.NET providers.</summary>
    public static ISiloBuilder UseCsmsPostgres(this ISiloBuilder silo, CsmsClusterSettings settings)
    {
        silo.Services.AddSingleton(settings);
        silo.Services.Configure<ClusterOptions>(o => Identify(o, settings));
        return silo
            .UseAdoNetClustering(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = settings.ConnectionString;
            })
            .AddAdoNetGrainStorage(CsmsStorage.ProviderName, (OptionsBuilder<AdoNetGrainStorageOptions> options) =>
                options.Configure<Serializer>((o, serializer) =>
                {
                    o.Invariant = Invariant;
                    o.ConnectionString = settings.ConnectionString;
                    // Orleans' own serializer: our states are [GenerateSerializer] types with explicit field ids, so they stay
                    // readable as they evolve; the default JSON serializer would pin CLR type names into every row
                    o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
                }))
            .AddActivityPropagation();
    }

    /// <summary>A gateway's Orleans client in cluster mode: finds the silos through the same membership table.</summary>
    public static IClientBuilder UseCsmsPostgres(this IClientBuilder client, CsmsClusterSettings settings)
    {
        client.Services.Configure<ClusterOptions>(o => Identify(o, settings));
        // Orleans re-reads the silo list every minute by default: a gateway that lost every silo would wait that long
        // to see a new one; every 10 s it costs one small query per gateway
        client.Services.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = GatewayListRefreshPeriod);
        return client
            .UseAdoNetClustering(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = settings.ConnectionString;
            })
            .AddActivityPropagation();
    }

    /// <summary>Silos and gateways with the same ids form one cluster.</summary>
    private static void Identify(ClusterOptions options, CsmsClusterSettings settings)
    {
        options.ClusterId = settings.ClusterId;
        options.ServiceId = settings.ServiceId;
    }
}

public static class CsmsStorage
{
    /// <summary>The grain storage provider every CSMS grain's state uses.</summary>
    public const string ProviderName = "csms";
}
