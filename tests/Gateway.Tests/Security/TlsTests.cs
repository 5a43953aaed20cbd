using System.Net;
using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Authentication;
using Csms.Gateway.Tests.OperatorApi;

using Csms.Gateway.Tests.Infrastructure;

namespace Csms.Gateway.Tests.Security;

/// <summary>
/// Security profile 2 with real TLS on loopback (a certificate made by the fixture): TLS 1.2+ with OCPP's cipher
/// suites only (A00.FR.313, A00.FR.318, A00.FR.320), Basic auth inside it, and a TLS-terminating proxy whose
/// forwarded scheme is believed only from its configured address.
/// </summary>
public sealed class TlsTests(TlsGatewayFixture gateway) : IClassFixture<TlsGatewayFixture>
{
    private const string Password = "tls-station-password-1";

    [Fact]
    public async Task A_profile_2_station_connects_over_wss_with_its_password_and_not_without_it()
    {
        var id = await Registered(securityProfile: 2);
        await using (var station = await Secure(id, BasicCredentials.Header(id, Password)))
        {
            var boot = await station.CallAsync("BootNotification", new { chargePointVendor = "Acme", chargePointModel = "One" });
            Assert.True(boot.IsResult, boot.Raw);
        }
        var wrong = await Assert.ThrowsAsync<UpgradeRefusedException>(() => Secure(id, BasicCredentials.Header(id, "not-the-password-123")));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        var plain = await Assert.ThrowsAsync<UpgradeRefusedException>(() => Plain(id, BasicCredentials.Header(id, Password), null));
        Assert.Equal(HttpStatusCode.Forbidden, plain.Status);
    }

    [Fact]
    public async Task A00_FR_318_FR_320_the_required_GCM_suites_are_served_and_a_CBC_suite_is_refused()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // cipher suite policies are an OpenSSL (Linux, macOS) feature; CI runs on Linux
        }
        var id = await Registered(securityProfile: 2);
        await using (await Secure(id, BasicCredentials.Header(id, Password), TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256))
        {
        }
        await using (await Secure(id, BasicCredentials.Header(id, Password), TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384))
        {
        }
        // the same client, offering only a CBC suite (fine for OpenSSL, not for OCPP): no handshake
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => Secure(id, BasicCredentials.Header(id, Password), TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256));
        Assert.True(refused is WebSocketException or HttpRequestException or AuthenticationException, refused.ToString());
    }

    [Fact]
    public async Task A_forwarded_https_scheme_counts_only_from_the_trusted_proxy()
    {
        var id = await Registered(securityProfile: 2);
        // the proxy terminated TLS and says so: believed
        await using (await Plain(id, BasicCredentials.Header(id, Password), IPAddress.Parse(TlsGatewayFixture.TrustedProxy), forwardedProto: "https"))
        {
        }
        // anyone else saying the same: ignored, so this is plain ws:// for a profile 2 station
        var spoofed = await Assert.ThrowsAsync<UpgradeRefusedException>(() =>
            Plain(id, BasicCredentials.Header(id, Password), IPAddress.Parse("127.0.0.10"), forwardedProto: "https"));
        Assert.Equal(HttpStatusCode.Forbidden, spoofed.Status);
    }

    [Fact]
    public async Task A00_FR_403_405_a_profile_3_station_connects_with_its_own_certificate_and_its_boot_must_carry_the_same_serial()
    {
        var id = await Registered(securityProfile: 3);
        await using (var station = await Secure(id, null, certificate: gateway.StationCertificate(id)))
        {
            var boot = await station.CallAsync("BootNotification", new { chargePointVendor = "Acme", chargePointModel = "One", chargePointSerialNumber = id });
            Assert.Equal("Accepted", boot.Result.GetProperty("status").GetString());
        }
        await using (var other = await Secure(id, null, certificate: gateway.StationCertificate(id)))
        {
            var boot = await other.CallAsync("BootNotification", new { chargePointVendor = "Acme", chargePointModel = "One", chargePointSerialNumber = "SOMEONE-ELSE" });
            Assert.Equal("Rejected", boot.Result.GetProperty("status").GetString());
        }
        // the refusal is a security event of the station (stored shortly after)
        var events = await ApiJson.PollAsync(async () => (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations/{id}/events?kind=Security")).Expect(HttpStatusCode.OK),
            page => page.GetProperty("items").GetArrayLength() > 0);
        Assert.Contains("SOMEONE-ELSE", events.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A00_FR_407_a_profile_3_station_is_refused_without_a_certificate_or_with_one_that_is_not_its_own()
    {
        var id = await Registered(securityProfile: 3);
        using var strangerKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        using var strangerCa = TlsGatewayFixture.MakeCa("CN=Someone else's CA, O=" + TlsGatewayFixture.Cso, strangerKey);
        var cases = new (string What, System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate)[]
        {
            ("none", null),
            ("another station's", gateway.StationCertificate("someone-else")),
            ("expired", gateway.StationCertificate(id, expired: true)),
            ("from an unknown CA", gateway.StationCertificate(id, issuer: strangerCa, issuerKey: strangerKey)),
            ("of another organization", gateway.StationCertificate(id, organization: "Other CSO")),
        };
        foreach (var (what, certificate) in cases)
        {
            var refused = await Assert.ThrowsAsync<UpgradeRefusedException>(() => Secure(id, null, certificate: certificate));
            Assert.True(refused.Status == HttpStatusCode.Forbidden, $"{what}: {refused.Status}");
        }
        // and over plain ws:// not at all
        Assert.Equal(HttpStatusCode.Forbidden, (await Assert.ThrowsAsync<UpgradeRefusedException>(() => Plain(id, BasicCredentials.Header(id, Password), null))).Status);
    }

    [Theory]
    [InlineData(0x0301)] // TLS 1.0
    [InlineData(0x0302)] // TLS 1.1
    public async Task A00_FR_312_314_a_client_that_offers_at_most_TLS_1_0_or_1_1_gets_no_handshake(int version)
    {
        // this machine's TLS client will not even offer 1.1, so the ClientHello is written by hand; the same hello
        // offering 1.2 is answered with a ServerHello, so the refusal is the version's, not the bytes'. This checks the
        // gateway as deployed: the HTTPS options allow only 1.2 and 1.3, and Debian's OpenSSL policy refuses older
        // versions as well (so this would hold even with a misconfigured endpoint; the upgrade-time check behind both is
        // TlsProtocolTests).
        var modern = await FirstRecordAsync(ClientHello(0x0303, [0xC02B, 0xC02F, 0xC02C, 0xC030]));
        Assert.True(modern is [0x16, _, _, _, _, 0x02, ..], "a TLS 1.2 hello is answered with a ServerHello: " + Hex(modern));

        var old = await FirstRecordAsync(ClientHello((ushort)version, [0xC009, 0xC013, 0x002F, 0x0035]));
        // a fatal alert (protocol_version or handshake_failure), or the connection closed: never a ServerHello
        Assert.True(old is [] or [0x15, _, _, _, _, 0x02, 70 or 40, ..], $"TLS {version:X4}: " + Hex(old));
    }

    /// <summary>The first TLS record the gateway sends after <paramref name="hello"/>, or nothing if it closes.</summary>
    private async Task<byte[]> FirstRecordAsync(byte[] hello)
    {
        var https = new Uri(gateway.App.Urls.Single(u => u.StartsWith("https://", StringComparison.Ordinal)));
        using var client = new System.Net.Sockets.TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(IPAddress.Loopback, https.Port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(hello, timeout.Token);
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (received.Count < 5 || received.Count < 5 + ((received[3] << 8) | received[4]))
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, timeout.Token);
            }
            catch (IOException)
            {
                break; // reset
            }
            if (read == 0)
            {
                break;
            }
            received.AddRange(buffer.AsSpan(0, read));
        }
        return [.. received];
    }

    /// <summary>A minimal ClientHello (RFC 5246 7.4.1.2) that offers at most <paramref name="version"/>: no supported_versions extension.</summary>
    private static byte[] ClientHello(ushort version, ushort[] suites)
    {
        var extensions = new List<byte>();
        void Extension(ushort type, byte[] data)
        {
            extensions.AddRange([(byte)(type >> 8), (byte)type, (byte)(data.Length >> 8), (byte)data.Length, .. data]);
        }
        Extension(0x000a, [0x00, 0x04, 0x00, 0x17, 0x00, 0x1d]);               // supported_groups: secp256r1, x25519
        Extension(0x000b, [0x01, 0x00]);                                       // ec_point_formats: uncompressed
        Extension(0x000d, [0x00, 0x06, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01]); // signature_algorithms (used by 1.2)
        Extension(0xff01, [0x00]);                                             // renegotiation_info, empty

        var body = new List<byte> { (byte)(version >> 8), (byte)version };
        body.AddRange(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        body.Add(0);                                                           // no session id
        body.AddRange([(byte)(suites.Length * 2 >> 8), (byte)(suites.Length * 2)]);
        foreach (var suite in suites)
        {
            body.AddRange([(byte)(suite >> 8), (byte)suite]);
        }
        body.AddRange([1, 0]);                                                 // compression: null only (A00.FR.320)
        body.AddRange([(byte)(extensions.Count >> 8), (byte)extensions.Count, .. extensions]);

        byte[] handshake = [0x01, 0, (byte)(body.Count >> 8), (byte)body.Count, .. body];
        return [0x16, 0x03, 0x01, (byte)(handshake.Length >> 8), (byte)handshake.Length, .. handshake];
    }

    private static string Hex(byte[] bytes) => bytes.Length == 0 ? "(closed)" : Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 16)));

    private async Task<string> Registered(int securityProfile)
    {
        var id = $"tls-{Guid.NewGuid():N}"[..16];
        (await ApiJson.SendAsync(gateway.Http, HttpMethod.Put, $"api/v1/stations/{id}/registration", new { securityProfile, password = Password }))
            .Expect(HttpStatusCode.OK);
        return id;
    }


    /// <summary>wss://, trusting exactly the fixture's certificate, TLS 1.2 with one cipher suite when given.</summary>
    private Task<TestStation> Secure(string id, string? authorization, TlsCipherSuite? only = null,
        System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null) =>
        TestStation.ConnectAsync(new Uri(gateway.SecureWebSocketBase, "ocpp/" + id), o =>
            {
                if (authorization is not null)
                {
                    o.SetRequestHeader("Authorization", authorization);
                }
            }, null,
            handler =>
            {
                if (certificate is not null)
                {
                    handler.SslOptions.ClientCertificates = [certificate];
                }
                handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && certificate.GetCertHashString() == gateway.ServerCertificate.GetCertHashString();
                if (only is { } suite && !OperatingSystem.IsWindows())
                {
                    handler.SslOptions.EnabledSslProtocols = SslProtocols.Tls12;
                    handler.SslOptions.CipherSuitesPolicy = new CipherSuitesPolicy([suite]);
                }
            }, "ocpp1.6");

    private Task<TestStation> Plain(string id, string authorization, IPAddress? from, string? forwardedProto = null) =>
        TestStation.ConnectAsync(new Uri(gateway.WebSocketBase, "ocpp/" + id), o =>
        {
            o.SetRequestHeader("Authorization", authorization);
            if (forwardedProto is not null)
            {
                o.SetRequestHeader("X-Forwarded-Proto", forwardedProto);
            }
        }, from, "ocpp1.6");
}

public sealed class TlsProtocolTests
{
    [Theory]
    [InlineData(SslProtocols.Tls12, true)]
    [InlineData(SslProtocols.Tls13, true)]
    [InlineData((SslProtocols)768, false)] // TLS 1.1
    [InlineData((SslProtocols)192, false)] // TLS 1.0
    [InlineData((SslProtocols)48, false)]  // SSL 3
    [InlineData(SslProtocols.None, false)]
    public void A00_FR_312_314_an_upgrade_over_a_TLS_version_below_1_2_is_refused(SslProtocols negotiated, bool allowed)
    {
        var problem = Csms.Gateway.Ocpp.Security.StationTransportSecurity.ProtocolProblem(negotiated);
        Assert.Equal(allowed, problem is null);
        if (problem is not null)
        {
            Assert.Contains("TLS 1.2 or later", problem, StringComparison.Ordinal);
        }
    }
}
