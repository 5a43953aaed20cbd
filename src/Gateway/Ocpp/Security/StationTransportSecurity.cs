using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Csms.Gateway.Ocpp.Security;

/// <summary>
/// TLS for security profiles 2 and 3: Kestrel's HTTPS endpoints (configured as usual under <c>Kestrel:Endpoints</c>)
/// speak only TLS 1.2 and 1.3 (2.0.1 A00.FR.313) with the cipher suites OCPP requires (A00.FR.318) and a few stronger
/// ones, never CBC or SHA-1 ones (A00.FR.320). Behind a TLS-terminating proxy, X-Forwarded-For / -Proto are believed
/// only from the addresses in <c>Gateway:TrustedProxies</c> (IPs or CIDR networks).
/// </summary>
public static class StationTransportSecurity
{
    public const string TrustedProxiesKey = "Gateway:TrustedProxies";

    /// <summary>TLS 1.3's AEAD suites, OCPP's four TLS 1.2 suites (A00.FR.318), and ECDHE_RSA with AES-GCM for forward secrecy with RSA certificates.</summary>
    public static readonly IReadOnlyList<TlsCipherSuite> CipherSuites =
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
    ];

    /// <summary>
    /// A00.FR.312–314: a connection on an older TLS version is refused at the upgrade as well, in case the platform's TLS
    /// library was configured to accept one (OpenSSL's system policy usually refuses it at the handshake already).
    /// </summary>
    public static string? ProtocolProblem(SslProtocols negotiated) =>
        negotiated is SslProtocols.Tls12 or SslProtocols.Tls13
            ? null
            : $"TLS 1.2 or later is required (OCPP A00.FR.312); this connection negotiated {negotiated}";

    /// <param name="clientCertificates">Profile 3 is on: ask for client certificates (optional at the TLS level; checked at the upgrade).</param>
    public static WebApplicationBuilder AddStationTransportSecurity(this WebApplicationBuilder builder, bool clientCertificates)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            ConfigureHttps(https);
            if (clientCertificates)
            {
                // profile 0–2 stations on the same endpoint send none; a profile 3 station's is verified against the
                // station CAs when it upgrades (StationCertificates), where the refusal can say what was wrong
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                https.AllowAnyClientCertificate();
            }
        }));
        // parsed now, so a bad entry stops the start-up with a clear message rather than the first request
        var networks = new List<System.Net.IPNetwork>();
        var addresses = new List<IPAddress>();
        foreach (var proxy in builder.Configuration.GetSection(TrustedProxiesKey).Get<string[]>() ?? [])
        {
            if (proxy.Contains('/', StringComparison.Ordinal) && System.Net.IPNetwork.TryParse(proxy, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(proxy, out var address))
            {
                addresses.Add(address);
            }
            else
            {
                throw new Grains.Hosting.CsmsConfigurationException($"{TrustedProxiesKey}: '{proxy}' is neither an IP address nor a CIDR network");
            }
        }
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // only the configured proxies (not the loopback defaults): anyone else's X-Forwarded-* is ignored
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            networks.ForEach(options.KnownIPNetworks.Add);
            addresses.ForEach(options.KnownProxies.Add);
        });
        return builder;
    }

    /// <summary>Before anything reads the remote address or the scheme: the forwarded ones, when a trusted proxy sent them.</summary>
    public static WebApplication UseStationTransportSecurity(this WebApplication app)
    {
        app.UseForwardedHeaders();
        return app;
    }

    private static void ConfigureHttps(HttpsConnectionAdapterOptions https)
    {
        https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        var policy = OperatingSystem.IsWindows() ? null : new CipherSuitesPolicy(CipherSuites);
        var previous = https.OnAuthenticate;
        https.OnAuthenticate = (connection, ssl) =>
        {
            previous?.Invoke(connection, ssl);
            ssl.EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
            if (policy is not null)
            {
                // Windows (SChannel) takes its suites from the OS configuration instead
                ssl.CipherSuitesPolicy = policy;
            }
        };
    }
}
