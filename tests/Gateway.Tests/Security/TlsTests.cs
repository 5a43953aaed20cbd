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
