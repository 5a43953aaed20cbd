namespace Csms.Gateway.Hosting;

/// <summary>This gateway process's id, as station grains record it.</summary>
public sealed class GatewayIdentity(string id)
{
    public string Id { get; } = id;

    public static GatewayIdentity From(GatewayOptions options) =>
        new(options.GatewayId ?? $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..6]}");
}
