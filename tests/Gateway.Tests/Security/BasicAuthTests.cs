using System.Net;
using Csms.Gateway.Tests.Infrastructure;
using Csms.Gateway.Tests.OperatorApi;

namespace Csms.Gateway.Tests.Security;

/// <summary>
/// Security profile 1 (OCPP 1.6 security whitepaper, 2.0.1 A00.FR.2xx): HTTP Basic on the WebSocket upgrade, against a
/// real Kestrel. Passwords are set through the operator API, as an operator would.
/// </summary>
public sealed class BasicAuthTests(GatewayAppFixture gateway) : IClassFixture<GatewayAppFixture>
{
    private const string Password = "correct-horse-battery-1";

    /// <summary>Each test connects from its own loopback address: failed attempts count per address, and the fixture is shared.</summary>
    private readonly IPAddress _from = RandomLoopback();

    private static IPAddress RandomLoopback() => new([127, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(2, 255)]);

    [Fact]
    public async Task A_profile_1_station_connects_only_with_its_identity_and_password()
    {
        var id = await Registered(securityProfile: 1);

        var none = await Assert.ThrowsAsync<UpgradeRefusedException>(() => Connect(id, null));
        Assert.Equal(HttpStatusCode.Unauthorized, none.Status);
        Assert.StartsWith("Basic realm=\"OCPP\"", none.Header("WWW-Authenticate"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<UpgradeRefusedException>(() => Connect(id, BasicCredentials.Header(id, "wrong-password-0000")))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<UpgradeRefusedException>(() => Connect(id, BasicCredentials.Header("someone-else", Password)))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<UpgradeRefusedException>(() => Connect(id, "Basic not*base64"))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<UpgradeRefusedException>(() => Connect(id, "Bearer abc"))).Status);

        // the username is the identity as in the URL (canonical: case does not matter); the password may contain ':'
        await using var station = await Connect(id, BasicCredentials.Header(id.ToUpperInvariant(), Password));
        var boot = await station.CallAsync("BootNotification", new { chargePointVendor = "Acme", chargePointModel = "One" });
        Assert.True(boot.IsResult, boot.Raw);
    }

    [Fact]
    public async Task A_password_with_a_colon_is_read_whole_and_a_station_without_a_password_set_is_refused()
    {
        var id = await Registered(securityProfile: 1, password: "with:colon:inside-1234");
        await using (await Connect(id, BasicCredentials.Header(id, "with:colon:inside-1234")))
        {
        }
        var unset = await Registered(securityProfile: 1, password: null);
        var refused = await Assert.ThrowsAsync<UpgradeRefusedException>(() => Connect(unset, BasicCredentials.Header(unset, Password)));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }

    [Fact]
    public async Task A_profile_2_station_is_not_let_in_over_plain_ws_even_with_the_right_password()
    {
        var id = await Registered(securityProfile: 2);
        var refused = await Assert.ThrowsAsync<UpgradeRefusedException>(() => Connect(id, BasicCredentials.Header(id, Password)));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
    }

    [Fact]
    public async Task A_brute_force_burst_is_throttled_while_the_station_itself_still_connects_from_its_own_address()
    {
        var id = await Registered(securityProfile: 1);
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 14; i++)
        {
            codes.Add((await Assert.ThrowsAsync<UpgradeRefusedException>(() => Connect(id, BasicCredentials.Header(id, $"guess-{i:D4}-xxxxxxxxxx")))).Status);
        }
        // ten wrong guesses are checked (401); from then on this address is refused without a check (429)
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 10).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 4)), codes);
        var throttled = await Assert.ThrowsAsync<UpgradeRefusedException>(() => Connect(id, BasicCredentials.Header(id, Password)));
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.Status);
        Assert.NotNull(throttled.Header("Retry-After"));

        // the real station, elsewhere (another loopback address), is checked and let in
        await using var station = await Connect(id, BasicCredentials.Header(id, Password), RandomLoopback());
        var boot = await station.CallAsync("BootNotification", new { chargePointVendor = "Acme", chargePointModel = "One" });
        Assert.True(boot.IsResult, boot.Raw);
    }

    [Fact]
    public async Task A_second_connection_without_credentials_cannot_displace_a_live_station_and_an_authenticated_takeover_is_a_security_event()
    {
        var id = await Registered(securityProfile: 1);
        await using var first = await Connect(id, BasicCredentials.Header(id, Password));
        Assert.True((await first.CallAsync("BootNotification", new { chargePointVendor = "Acme", chargePointModel = "One" })).IsResult);

        var intruder = await Assert.ThrowsAsync<UpgradeRefusedException>(() => Connect(id, null, RandomLoopback()));
        Assert.Equal(HttpStatusCode.Unauthorized, intruder.Status);
        Assert.True((await first.CallAsync("Heartbeat", new { })).IsResult, "the live station was displaced");

        // the station itself reconnecting (e.g. after a half-open socket) takes over, and that is on record
        await using var second = await Connect(id, BasicCredentials.Header(id, Password));
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, await first.WaitForCloseAsync());
        var events = await ApiJson.PollAsync(async () => (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations/{id}/events?kind=Security")).Expect(HttpStatusCode.OK),
            page => page.GetProperty("items").GetArrayLength() > 0);
        Assert.Contains("Takeover", events.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stations_security_profile_is_not_lowered_through_the_API_unless_that_is_said_explicitly()
    {
        var id = await Registered(securityProfile: 2);
        var refused = (await ApiJson.SendAsync(gateway.Http, HttpMethod.Put, $"api/v1/stations/{id}/registration", new { securityProfile = 1 }))
            .Expect(HttpStatusCode.Conflict);
        Assert.Contains("allowDowngrade", refused.Text("detail"), StringComparison.Ordinal);
        var still = (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations/{id}/registration")).Expect(HttpStatusCode.OK);
        Assert.Equal(2, still.GetProperty("securityProfile").GetInt32());

        // raising, or keeping, needs nothing; lowering on purpose does
        (await ApiJson.SendAsync(gateway.Http, HttpMethod.Put, $"api/v1/stations/{id}/registration", new { securityProfile = 3 })).Expect(HttpStatusCode.OK);
        var lowered = (await ApiJson.SendAsync(gateway.Http, HttpMethod.Put, $"api/v1/stations/{id}/registration?allowDowngrade=true", new { securityProfile = 1 }))
            .Expect(HttpStatusCode.OK);
        Assert.Equal(1, lowered.GetProperty("securityProfile").GetInt32());
    }

    [Fact]
    public async Task Under_RejectUnknown_an_unknown_identity_gets_404_and_nothing_is_stored_for_it()
    {
        var policy = gateway.Http;
        (await ApiJson.SendAsync(policy, HttpMethod.Put, "api/v1/registration-policy", new { policy = "RejectUnknown" })).Expect(HttpStatusCode.OK);
        try
        {
            var id = $"nobody-{Guid.NewGuid():N}"[..20];
            var refused = await Assert.ThrowsAsync<UpgradeRefusedException>(() => Connect(id, null));
            Assert.Equal(HttpStatusCode.NotFound, refused.Status);
            (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations/{id}")).Expect(HttpStatusCode.NotFound);

            // a registered station still connects
            var known = await Registered(securityProfile: 0);
            await using var station = await Connect(known, null);
        }
        finally
        {
            (await ApiJson.SendAsync(policy, HttpMethod.Put, "api/v1/registration-policy", new { policy = "AcceptAll" })).Expect(HttpStatusCode.OK);
        }
    }

    private async Task<string> Registered(int securityProfile, string? password = Password)
    {
        var id = $"sec-{Guid.NewGuid():N}"[..16];
        (await ApiJson.SendAsync(gateway.Http, HttpMethod.Put, $"api/v1/stations/{id}/registration", new { securityProfile, password }))
            .Expect(HttpStatusCode.OK);
        return id;
    }


    private Task<TestStation> Connect(string id, string? authorization, IPAddress? from = null) =>
        TestStation.ConnectAsync(new Uri(gateway.WebSocketBase, "ocpp/" + id), o =>
        {
            if (authorization is not null)
            {
                o.SetRequestHeader("Authorization", authorization);
            }
        }, from ?? _from, "ocpp1.6");
}
