using Csms.Gateway.Ocpp.Security;
using System.Net.WebSockets;
using Csms.Gateway.Hosting;
using Csms.Grains.Interfaces.Connections;
using Csms.Grains.Interfaces.Stations;
using Csms.Ocpp;
using Csms.ServiceDefaults;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Csms.Gateway.Ocpp;

/// <summary><c>/ocpp/{stationId}</c>: the WebSocket upgrade, subprotocol negotiation and the station's session.</summary>
public static class OcppEndpoint
{
    public const string PathPrefix = "/ocpp/";

    public static IEndpointRouteBuilder MapOcppEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/ocpp/{**stationId}", HandleAsync);
        return endpoints;
    }

    private static async Task HandleAsync(HttpContext context, IGrainFactory grains, ConnectionRegistry registry, GatewayLink link,
        GatewayIdentity gateway, GatewayDrain drain, ConnectionReannouncer reannouncer, IOptions<GatewayOptions> options,
        StationAuthenticator authenticator, UpgradeLimiter limits, ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger("Csms.Gateway.Ocpp");
        if (drain.IsDraining)
        {
            context.Response.Headers.RetryAfter = "5";
            await Refuse(context, StatusCodes.Status503ServiceUnavailable, "this gateway is shutting down; connect to another one");
            return;
        }
        if (!TryReadIdentity(context, out var stationId, out var problem))
        {
            await Refuse(context, StatusCodes.Status400BadRequest, problem);
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.Headers.Upgrade = "websocket";
            await Refuse(context, StatusCodes.Status426UpgradeRequired, "this endpoint accepts OCPP-J WebSocket connections only");
            return;
        }

        using var slot = limits.TryReserve(out var busy);
        if (slot is null)
        {
            context.Response.Headers.RetryAfter = "1";
            await Refuse(context, StatusCodes.Status503ServiceUnavailable, busy);
            return;
        }

        // who may connect as this identity is decided before the upgrade, and before anything is stored for it
        var grain = grains.GetGrain<IChargingStationGrain>(stationId);
        var opts = options.Value;
        // bounded like every grain call of a station's: in a silo failover the station hears "retry" before its own timeout
        var grainCallTimeout = TimeSpan.FromSeconds(opts.GrainCallTimeoutSeconds);
        AdmissionDecision decision;
        try
        {
            decision = await authenticator.DecideAsync(context, stationId, await grain.GetAdmission().WaitAsync(grainCallTimeout));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Station {Station}: its admission could not be read from the cluster", stationId);
            context.Response.Headers.RetryAfter = "10";
            await Refuse(context, StatusCodes.Status503ServiceUnavailable, "the CSMS is unavailable; retry later");
            return;
        }
        if (!decision.Admitted)
        {
            if (decision.ChallengeBasic)
            {
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"OCPP\", charset=\"UTF-8\"";
            }
            if (decision.RetryAfter is { } wait)
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            await Refuse(context, decision.RefuseStatus!.Value, decision.Detail);
            return;
        }

        // the version comes from the subprotocol the station offers, never from the URL; the station's order is its preference
        OcppVersion? version = null;
        foreach (var offered in context.WebSockets.WebSocketRequestedProtocols)
        {
            if (OcppVersions.TryParseSubprotocol(offered, out var v))
            {
                version = v;
                break;
            }
        }
        var accept = new WebSocketAcceptContext
        {
            SubProtocol = version is { } chosen ? Offered(context, chosen) : null,
            KeepAliveInterval = TimeSpan.FromSeconds(opts.KeepAliveSeconds),
            // a peer that does not answer our ping within this is dead: the socket is aborted and the station disconnected
            KeepAliveTimeout = TimeSpan.FromSeconds(opts.KeepAliveSeconds),
            // RFC 7692 when the station offers it: no context kept between our messages (less memory per station);
            // what it sends is limited after inflation (Gateway:MaxMessageBytes), so a compression bomb stops there
            DangerousEnableCompression = opts.WebSocketCompression,
            DisableServerContextTakeover = true,
        };
        using var socket = await context.WebSockets.AcceptWebSocketAsync(accept);
        if (version is null)
        {
            // OCPP-J: complete the handshake without a subprotocol, then close
            logger.LogInformation("Station {Station} offered no supported OCPP subprotocol; closing", stationId);
            using var closing = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            closing.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.ProtocolError, "no supported subprotocol: offer ocpp1.6, ocpp2.0.1 or ocpp2.1",
                    closing.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
                // the peer did not complete the close handshake; the socket is dropped
            }
            return;
        }

        var session = new StationSocket(stationId, version.Value, socket, grain, opts, reannouncer.ReannounceAsync, logger);
        try
        {
            var connection = new StationConnection(gateway.Id, link.Reference, version.Value,
                context.Connection.RemoteIpAddress?.ToString(), DateTimeOffset.UtcNow, decision.CertificateSerial, decision.WithPendingPassword);
            session.Epoch = (await grain.Connect(connection).WaitAsync(grainCallTimeout)).Epoch;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Station {Station} could not be connected to its grain", stationId);
            await socket.CloseAsync(WebSocketCloseStatus.InternalServerError, "the CSMS is unavailable; retry later", CancellationToken.None);
            return;
        }

        // a second socket for the same station on this gateway: the older one can no longer act (stale epoch) and is closed
        registry.Register(session)?.RequestClose(WebSocketCloseStatus.PolicyViolation, "replaced by a newer connection for the same station");
        CsmsTelemetry.Connections.Add(1, new KeyValuePair<string, object?>("version", version.Value.Number()));
        logger.LogInformation("Station {Station} connected with OCPP {Version}, epoch {Epoch}", stationId, version.Value.Number(), session.Epoch);
        try
        {
            // now that a frame for this epoch finds the socket, the grain may send what it has queued
            await grain.Attached(session.Epoch);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // the next re-announce attaches it
            logger.LogWarning(ex, "Station {Station}: telling its grain the socket is ready failed", stationId);
        }
        try
        {
            await session.RunAsync(context.RequestAborted);
        }
        finally
        {
            registry.Unregister(session);
            CsmsTelemetry.Connections.Add(-1, new KeyValuePair<string, object?>("version", version.Value.Number()));
            try
            {
                await grain.Disconnect(session.Epoch, "socket closed");
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Station {Station}: could not record the disconnect", stationId);
            }
            logger.LogInformation("Station {Station} disconnected (epoch {Epoch})", stationId, session.Epoch);
        }
    }

    /// <summary>Echo the token exactly as the station spelled it (some send "OCPP1.6").</summary>
    private static string Offered(HttpContext context, OcppVersion version) =>
        context.WebSockets.WebSocketRequestedProtocols.First(p => OcppVersions.TryParseSubprotocol(p, out var v) && v == version);

    /// <summary>
    /// The identity is the raw last path segment, percent-decoded once (routing would leave %2F encoded), then
    /// checked and canonicalised: see <see cref="StationIdentity"/>.
    /// </summary>
    public static bool TryReadIdentity(HttpContext context, out string canonical, out string problem)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            raw = raw[..query];
        }
        var start = raw.IndexOf(PathPrefix, StringComparison.OrdinalIgnoreCase);
        var encoded = start < 0 ? "" : raw[(start + PathPrefix.Length)..];
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(encoded);
        }
        catch (UriFormatException)
        {
            canonical = "";
            problem = "station identity is not validly percent-encoded";
            return false;
        }
        return StationIdentity.TryCanonicalize(decoded, out canonical, out problem);
    }

    private static Task Refuse(HttpContext context, int status, string detail) =>
        Results.Problem(detail: detail, statusCode: status).ExecuteAsync(context);
}
