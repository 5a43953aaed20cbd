using Microsoft.Extensions.DependencyInjection.Extensions;
using Csms.Gateway.Ocpp.Security;
using System.Text.Json.Serialization;
using Csms.Gateway.Api;
using Csms.Gateway.Api.Commands;
using Csms.Gateway.Api.Live;
using Csms.Gateway.Api.Security;
using Csms.Gateway.Ocpp;
using Csms.Grains.Hosting;
using Csms.ServiceDefaults;
using Microsoft.Extensions.Options;
using Orleans.Messaging;

namespace Csms.Gateway.Hosting;

public static class GatewayHostingExtensions
{
    /// <summary>The gateway's services: standalone (a co-hosted in-memory silo on loopback) or, with <c>Gateway:Mode=Cluster</c>, an Orleans client.</summary>
    public static WebApplicationBuilder AddCsmsGateway(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GatewayOptions>().Bind(builder.Configuration.GetSection(GatewayOptions.Section))
            .Validate(o => o.MaxMessageBytes >= 1024, "Gateway:MaxMessageBytes must be at least 1024")
            .Validate(o => o.SendQueueCapacity >= 1, "Gateway:SendQueueCapacity must be at least 1")
            .Validate(o => o.KeepAliveSeconds >= 1, "Gateway:KeepAliveSeconds must be at least 1")
            .Validate(o => o.DrainSeconds >= 0, "Gateway:DrainSeconds must not be negative")
            .Validate(o => o.ReannounceSeconds >= 1, "Gateway:ReannounceSeconds must be at least 1")
            .Validate(o => o.MaxQueuedInboundCalls is >= 0 and <= 100, "Gateway:MaxQueuedInboundCalls must be between 0 and 100")
            .Validate(o => o.MaxConnections >= 1, "Gateway:MaxConnections must be at least 1")
            .Validate(o => o.MaxUpgradesPerSecond >= 1, "Gateway:MaxUpgradesPerSecond must be at least 1")
            .Validate(o => o.RequestHeadersTimeoutSeconds >= 1, "Gateway:RequestHeadersTimeoutSeconds must be at least 1")
            .ValidateOnStart();
        services.AddSingleton(sp => GatewayIdentity.From(sp.GetRequiredService<IOptions<GatewayOptions>>().Value));
        services.AddSingleton<ConnectionRegistry>();
        var stationSecurity = builder.Configuration.GetSection(StationSecurityOptions.Section).Get<StationSecurityOptions>() ?? new StationSecurityOptions();
        if (stationSecurity.MaxFailuresPerAddress < 1 || stationSecurity.MaxFailuresPerIdentity < 1 || stationSecurity.FailureWindowSeconds < 1)
        {
            throw new InvalidOperationException($"{StationSecurityOptions.Section}: MaxFailuresPerAddress, MaxFailuresPerIdentity and FailureWindowSeconds must be at least 1");
        }
        services.AddSingleton(stationSecurity);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AuthFailureLimiter>();
        var tls = builder.Configuration.GetSection(StationTlsOptions.Section).Get<StationTlsOptions>() ?? new StationTlsOptions();
        var stationCertificates = new StationCertificates(tls);
        services.AddSingleton(stationCertificates);
        services.AddSingleton<VerifiedCredentials>();
        services.AddSingleton<StationAuthenticator>();
        services.AddSingleton<UpgradeLimiter>();
        var headersTimeout = builder.Configuration.GetValue(GatewayOptions.Section + ":" + nameof(GatewayOptions.RequestHeadersTimeoutSeconds), 10);
        builder.WebHost.ConfigureKestrel(k => k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(Math.Max(1, headersTimeout)));
        builder.AddStationTransportSecurity(stationCertificates.Enabled);
        services.AddSingleton<CommandDispatcher>();
        services.AddSingleton<LiveEventRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveEventRelay>());
        services.AddSingleton<GatewayLink>();
        services.AddSingleton<ConnectionReannouncer>();
        services.AddHostedService(sp => sp.GetRequiredService<ConnectionReannouncer>());
        services.AddSingleton<GatewayDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<GatewayDrain>());
        // the drain window plus room for the sockets' close handshakes
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(Math.Max(30, builder.Configuration.GetValue(
            GatewayOptions.Section + ":" + nameof(GatewayOptions.DrainSeconds), 10) + 15)));
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddProblemDetails();
        // the operator API's OpenAPI document, generated from the endpoints' own metadata
        services.AddOpenApi(OperatorApi.AddSecurityToOpenApi);

        var cluster = builder.Configuration.GetValue(GatewayOptions.Section + ":Mode", GatewayMode.Standalone) == GatewayMode.Cluster;
        builder.AddCsmsApiSecurity(standalone: !cluster);
        if (cluster)
        {
            builder.AddClusterClient();
        }
        else
        {
            builder.AddStandaloneSilo();
        }
        return builder;
    }

    public static WebApplication MapCsmsGateway(this WebApplication app)
    {
        app.UseStationTransportSecurity();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseWebSockets();
        app.MapOcppEndpoint();
        app.MapOperatorApi();
        // /openapi/v1.json, and a browsable UI over it at /swagger (served from the package, no CDN)
        app.MapOpenApi();
        app.UseSwaggerUI(o => o.SwaggerEndpoint("/openapi/v1.json", "CSMS operator API v1"));
        return app;
    }

    /// <summary>Cluster mode: no silo here, an Orleans client that finds the silos through PostgreSQL membership.</summary>
    private static void AddClusterClient(this WebApplicationBuilder builder)
    {
        var settings = CsmsClusterSettings.From(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton<ClusterConnection>();
        services.AddSingleton<IClientConnectionRetryFilter>(sp => sp.GetRequiredService<ClusterConnection>());
        services.AddHealthChecks().AddCheck<ClusterConnection>("cluster", tags: [ServiceDefaultsExtensions.ReadyTag]);
        builder.UseOrleansClient(client =>
        {
            client.UseCsmsPostgres(settings);
            client.Services.AddSingleton<GatewayCountChangedHandler>(sp => sp.GetRequiredService<ClusterConnection>().OnGatewayCountChanged);
            client.Services.AddSingleton<ConnectionToClusterLostHandler>(sp => sp.GetRequiredService<ClusterConnection>().OnConnectionLost);
        });
        services.AddHostedService<ClusterConnectedMarker>();
    }

    private static void AddStandaloneSilo(this WebApplicationBuilder builder)
    {
        var standalone = builder.Configuration.GetSection(StandaloneOptions.Section).Get<StandaloneOptions>() ?? new StandaloneOptions();
        builder.Services.AddCsmsGrains(builder.Configuration);
        builder.UseOrleans(silo => silo.UseCsmsInMemoryLocalhost(standalone.SiloPort, standalone.GatewayPort));
        builder.Services.AddHostedService<StandaloneBanner>();
    }
}
