using Csms.Grains.Ledger;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Csms.Grains.Hosting;

public static class CsmsGrainsExtensions
{
    /// <summary>What the grains need from the host: options from the <c>Csms</c> section, a clock, a ledger.</summary>
    public static IServiceCollection AddCsmsGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CsmsOptions>().Bind(configuration.GetSection(CsmsOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITransactionLedger, InMemoryTransactionLedger>();
        return services;
    }
}
