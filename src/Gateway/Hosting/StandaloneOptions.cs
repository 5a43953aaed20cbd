namespace Csms.Gateway.Hosting;

/// <summary>The co-hosted silo of standalone mode (<c>Standalone</c> section). Ports are loopback-only.</summary>
public sealed class StandaloneOptions
{
    public const string Section = "Standalone";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;
}
