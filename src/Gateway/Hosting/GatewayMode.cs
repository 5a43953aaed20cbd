namespace Csms.Gateway.Hosting;

/// <summary><c>Gateway:Mode</c>.</summary>
public enum GatewayMode
{
    /// <summary>One process with a co-hosted in-memory silo; nothing persisted.</summary>
    Standalone,
    /// <summary>An Orleans client of a silo cluster on PostgreSQL; no silo in this process.</summary>
    Cluster,
}
