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

    public const string Cso = "CSMS test CSO";

    private readonly string _pfx = Path.Combine(Path.GetTempPath(), $"csms-test-{Guid.NewGuid():N}.pfx");
    private readonly string _caPem = Path.Combine(Path.GetTempPath(), $"csms-test-ca-{Guid.NewGuid():N}.pem");
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

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

        // the station CA (profile 3)
        Ca = MakeCa("CN=CSMS test station CA, O=" + Cso, _caKey);
        File.WriteAllText(_caPem, Ca.ExportCertificatePem());
    }

    /// <summary>The CA the gateway trusts for station certificates.</summary>
    public X509Certificate2 Ca { get; }

    public static X509Certificate2 MakeCa(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    /// <summary>A station certificate (CN = serial number, O = organization) with its private key, issued by this fixture's CA unless another is given.</summary>
    public X509Certificate2 StationCertificate(string serial, string organization = Cso, X509Certificate2? issuer = null, ECDsa? issuerKey = null,
        bool expired = false)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={serial}, O={organization}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var from = expired ? DateTimeOffset.UtcNow.AddDays(-30) : DateTimeOffset.UtcNow.AddDays(-1);
        var to = expired ? DateTimeOffset.UtcNow.AddDays(-1) : DateTimeOffset.UtcNow.AddDays(30);
        var generator = X509SignatureGenerator.CreateForECDsa(issuerKey ?? _caKey);
        using var issued = request.Create((issuer ?? Ca).SubjectName, generator, from, to, Guid.NewGuid().ToByteArray()[..8]);
        using var withKey = issued.CopyWithPrivateKey(key);
        // through PFX, so the TLS stack can use the private key on every platform
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx, "x"), "x");
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
        $"--Gateway:Tls:ClientCaPaths:0={_caPem}",
        $"--Gateway:Tls:Organization={Cso}",
    ];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(_pfx);
        File.Delete(_caPem);
        _caKey.Dispose();
    }
}
