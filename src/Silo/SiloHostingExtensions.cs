using System.Net;
using Csms.Grains.Authorization;
using Csms.Grains.Hosting;
using Csms.Grains.Ledger;
using Csms.Grains.Records;
using Npgsql;
using Orleans.Configuration;

namespace Csms.Silo;

public static class SiloHostingExtensions
{
    /// <summary>
    /// A cluster silo: membership and grain state in PostgreSQL (<c>ConnectionStrings:Csms</c>). The schema is checked
    /// and applied before Orleans starts, so a wrong database setting fails the process at once.
    /// </summary>
    public static WebApplicationBuilder AddCsmsSilo(this WebApplicationBuilder builder)
    {
        var settings = CsmsClusterSettings.From(builder.Configuration);
        var options = builder.Configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
        IPAddress? advertised = null;
        if (options.AdvertisedAddress is { Length: > 0 } text && !IPAddress.TryParse(text, out advertised))
        {
            throw new CsmsConfigurationException($"Silo:AdvertisedAddress '{text}' is not an IP address.");
        }

        builder.Services.AddSingleton(settings);
        // registered before Orleans, so it runs (and can fail the start) before the silo joins the cluster
        builder.Services.AddHostedService<DatabaseStartup>();
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(settings.ConnectionString));
        builder.Services.AddSingleton<ITransactionLedger, PostgresTransactionLedger>();
        builder.Services.AddSingleton<IStationRecordStore, PostgresStationRecordStore>();
        builder.Services.AddSingleton<IIdTokenStore, PostgresIdTokenStore>();
        builder.Services.AddCsmsGrains(builder.Configuration);
        builder.Services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:Membership"));
        builder.UseOrleans(silo =>
        {
            silo.UseCsmsPostgres(settings);
            if (advertised is null)
            {
                silo.ConfigureEndpoints(options.SiloPort, options.GatewayPort);
            }
            else
            {
                silo.ConfigureEndpoints(advertised, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: true);
            }
        });
        return builder;
    }
}
