using Csms.Grains;

namespace Csms.Silo;

public static class SiloHostingExtensions
{
    /// <summary>
    /// A silo hosting the CSMS grains. Until cluster mode lands it runs with localhost clustering and in-memory
    /// grain storage: useful for development against a separate process, not for production.
    /// </summary>
    public static WebApplicationBuilder AddCsmsSilo(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
        builder.Services.AddCsmsGrains(builder.Configuration);
        builder.UseOrleans(silo => silo.UseCsmsInMemoryLocalhost(options.SiloPort, options.GatewayPort));
        return builder;
    }
}
