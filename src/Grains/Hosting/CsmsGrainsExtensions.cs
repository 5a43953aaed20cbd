using Csms.Grains.Authorization;
using Csms.Grains.Ledger;
using Csms.Grains.Live;
using Csms.Grains.Records;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Csms.Grains.Hosting;

public static class CsmsGrainsExtensions
{
    /// <summary>
    /// What the grains need from the host: options from the <c>Csms</c> section, a clock, a ledger and a record store
    /// (in memory unless the host registered PostgreSQL ones first).
    /// </summary>
    public static IServiceCollection AddCsmsGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CsmsOptions>().Bind(configuration.GetSection(CsmsOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITransactionLedger, InMemoryTransactionLedger>();
        services.TryAddSingleton<IStationRecordStore, InMemoryStationRecordStore>();
        services.TryAddSingleton<IIdTokenStore, InMemoryIdTokenStore>();
        services.AddSingleton<LiveEventPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveEventPublisher>());
        return services;
    }
}
