using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Csms.Gateway.Tests.Infrastructure;

namespace Csms.Gateway.Tests.Security;

/// <summary>
/// A gateway with a plain and a TLS endpoint on loopback, its server certificate made here (ECDSA P-256, for
/// 127.0.0.1), and 127.0.0.9 trusted as a TLS-terminating proxy.
/// </summary>
public sealed class TlsGatewayFixture : GatewayAppFixture
{
    public const string TrustedProxy = "127.0.0.9";

    private readonly string _pfx = Path.Combine(Path.GetTempPath(), $"csms-test-{Guid.NewGuid():N}.pfx");

    public TlsGatewayFixture()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1, O=CSMS test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllBytes(_pfx, certificate.Export(X509ContentType.Pfx, "test"));
        ServerCertificate = X509CertificateLoader.LoadCertificate(certificate.Export(X509ContentType.Cert));
    }

    /// <summary>The certificate the gateway presents (a station trusts exactly this one).</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>wss://127.0.0.1:port/ once started.</summary>
    public Uri SecureWebSocketBase => new("wss://" + new Uri(App.Urls.Single(u => u.StartsWith("https://", StringComparison.Ordinal))).Authority + "/");

    protected override IEnumerable<string> ExtraArgs =>
    [
        "--Kestrel:Endpoints:Http:Url=http://127.0.0.1:0",
        "--Kestrel:Endpoints:Https:Url=https://127.0.0.1:0",
        $"--Kestrel:Endpoints:Https:Certificate:Path={_pfx}",
        "--Kestrel:Endpoints:Https:Certificate:Password=test",
        $"--Gateway:TrustedProxies:0={TrustedProxy}",
    ];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(_pfx);
    }
}
