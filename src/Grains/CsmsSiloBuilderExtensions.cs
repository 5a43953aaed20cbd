namespace Csms.Grains;

public static class CsmsSiloBuilderExtensions
{
    /// <summary>
    /// A single-machine silo: localhost clustering on the given ports and in-memory grain storage. Standalone mode
    /// and the development silo use it; nothing it holds survives the process.
    /// </summary>
    public static ISiloBuilder UseCsmsInMemoryLocalhost(this ISiloBuilder silo, int siloPort, int gatewayPort) =>
        silo.UseLocalhostClustering(siloPort, gatewayPort)
            .AddMemoryGrainStorage(CsmsStorage.ProviderName)
            .AddActivityPropagation();
}

public static class CsmsStorage
{
    /// <summary>The grain storage provider every CSMS grain's state uses.</summary>
    public const string ProviderName = "csms";
}
