namespace Csms.Silo;

/// <summary>The silo's Orleans endpoints (<c>Silo</c> configuration section).</summary>
public sealed class SiloOptions
{
    public const string Section = "Silo";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port gateways (Orleans clients) connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The IP address other silos and gateways reach this silo at (in Kubernetes: the pod IP); default: Orleans picks one.</summary>
    public string? AdvertisedAddress { get; set; }
}
