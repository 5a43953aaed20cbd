namespace Csms.Gateway.Hosting;

/// <summary>The WebSocket endpoint's limits, bound from the <c>Gateway</c> configuration section.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>This gateway's name in station state and logs; defaults to the host name plus a random suffix.</summary>
    public string? GatewayId { get; set; }

    /// <summary>Largest accepted message in bytes; a larger one closes the connection with 1009 (message too big).</summary>
    public int MaxMessageBytes { get; set; } = 128 * 1024;

    /// <summary>WebSocket ping interval, and how long a pong may take before the peer counts as dead.</summary>
    public int KeepAliveSeconds { get; set; } = 30;

    /// <summary>Frames waiting to be written to one station; a station that does not read is disconnected, not buffered forever.</summary>
    public int SendQueueCapacity { get; set; } = 64;

    /// <summary>How often live sockets are re-announced to their station grains (keeps links after a silo failover).</summary>
    public int ReannounceSeconds { get; set; } = 60;

    /// <summary>On shutdown, sockets are closed at random moments within this many seconds (keep it below the host's shutdown timeout).</summary>
    public int DrainSeconds { get; set; } = 10;

    /// <summary>
    /// How long to wait for the station's grain to answer a message before answering InternalError (retry). Keep it well
    /// below the stations' own message timeout (often 30 s): a call caught in a silo failover (the request went to a silo
    /// that died) then gets an answer the station can act on, and its retry reaches the grain's new home.
    /// </summary>
    public int GrainCallTimeoutSeconds { get; set; } = 15;

    /// <summary>
    /// Accept permessage-deflate (RFC 7692) when a station offers it. Messages are limited by
    /// <see cref="MaxMessageBytes"/> after inflation, so compression cannot smuggle a larger one in.
    /// </summary>
    public bool WebSocketCompression { get; set; } = true;

    /// <summary>
    /// CALLs a station may send while one of its CALLs is still being answered; they wait, in order. OCPP-J 4.1.1 allows
    /// one outstanding CALL per direction, so the default is 0: a CALL beyond gets a CALLERROR (2.x RpcFrameworkError,
    /// 1.6 GenericError) saying to send it again. Raise it (bounded) for stations that pipeline.
    /// </summary>
    public int MaxQueuedInboundCalls { get; set; }

    /// <summary>Station sockets this gateway holds at most; beyond, upgrades get 503 (another gateway, or later).</summary>
    public int MaxConnections { get; set; } = 50_000;

    /// <summary>New station connections per second this gateway accepts; beyond, 503 with Retry-After.</summary>
    public int MaxUpgradesPerSecond { get; set; } = 1_000;

    /// <summary>A client that has not sent its request headers within this is disconnected (slow upgrade requests hold no socket for long).</summary>
    public int RequestHeadersTimeoutSeconds { get; set; } = 10;
}
