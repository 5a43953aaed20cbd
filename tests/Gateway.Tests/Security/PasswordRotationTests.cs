using System.Net;
using System.Text;
using System.Text.Json;
using Csms.Gateway.Tests.Infrastructure;
using Csms.Gateway.Tests.OperatorApi;

namespace Csms.Gateway.Tests.Security;

/// <summary>
/// Password rotation over OCPP (2.0.1 A01, 1.6 security whitepaper A01): <c>POST /stations/{id}/password</c> sends
/// SetVariables SecurityCtrlr.BasicAuthPassword or ChangeConfiguration AuthorizationKey; the old password stays valid
/// until the station accepts; the new one is never shown again or stored in the clear.
/// </summary>
public sealed class PasswordRotationTests(GatewayAppFixture gateway) : IClassFixture<GatewayAppFixture>
{
    private const string OldPassword = "old-password-0000-1111";
    private const string OldKey16 = "00112233445566778899AABBCCDDEEFF00112233";

    private readonly IPAddress _from = new([127, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(2, 255)]);

    [Fact]
    public async Task A01_FR_03_a_2_0_1_station_that_accepts_its_generated_password_is_let_in_only_with_the_new_one()
    {
        var id = await Registered(OldPassword);
        var station = await Connect(id, OldPassword, "ocpp2.0.1");

        var change = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/password", new { })).Expect(HttpStatusCode.Accepted);
        var generated = change.Text("generatedPassword");
        Assert.Matches("^[0-9A-F]{40}$", generated);
        var commandId = change.GetProperty("command").Text("commandId");
        Assert.DoesNotContain(generated, change.GetProperty("command").GetRawText(), StringComparison.Ordinal);

        var call = await station.ReceiveCallAsync();
        Assert.Equal("SetVariables", call.Action);
        var data = call.Payload.GetProperty("setVariableData")[0];
        Assert.Equal(generated, data.Text("attributeValue"));
        Assert.Equal("SecurityCtrlr", data.GetProperty("component").Text("name"));
        Assert.Equal("BasicAuthPassword", data.GetProperty("variable").Text("name"));

        // A01.FR.04 until it answers: the old password still lets it in
        await station.AnswerAsync(call, new
        {
            setVariableResult = new[] { new { attributeStatus = "Accepted", component = new { name = "SecurityCtrlr" }, variable = new { name = "BasicAuthPassword" } } },
        });
        var command = await Finished(id, commandId);
        Assert.Equal("Accepted", command.Text("state"));
        await station.DisposeAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<UpgradeRefusedException>(() => Connect(id, OldPassword, "ocpp2.0.1"))).Status);
        await using (await Connect(id, generated, "ocpp2.0.1"))
        {
        }

        // the password appears nowhere the API shows: not in the command, its history or the station's events
        foreach (var path in new[] { $"api/v1/stations/{id}/commands/{commandId}", $"api/v1/stations/{id}/commands", $"api/v1/stations/{id}/events",
                     $"api/v1/stations/{id}", $"api/v1/stations/{id}/configuration" })
        {
            using var response = await gateway.Http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.DoesNotContain(generated, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A01_FR_04_a_1_6_station_that_rejects_its_new_AuthorizationKey_keeps_the_old_one()
    {
        var id = await Registered(OldKey16);
        await using var station = await Connect(id, OldKey16, "ocpp1.6");
        const string newKey = "FFEEDDCCBBAA99887766554433221100FFEEDDCC";

        var change = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/password", new { password = newKey })).Expect(HttpStatusCode.Accepted);
        Assert.Equal(JsonValueKind.Null, change.GetProperty("generatedPassword").ValueKind);
        var call = await station.ReceiveCallAsync();
        Assert.Equal("ChangeConfiguration", call.Action);
        Assert.Equal("AuthorizationKey", call.Payload.Text("key"));
        Assert.Equal(newKey, call.Payload.Text("value"));
        await station.AnswerAsync(call, new { status = "Rejected" });
        Assert.Equal("Rejected", (await Finished(id, change.GetProperty("command").Text("commandId"))).Text("state"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<UpgradeRefusedException>(() => Connect(id, newKey, "ocpp1.6"))).Status);
        await using (await Connect(id, OldKey16, "ocpp1.6"))
        {
        }
    }

    [Fact]
    public async Task An_unanswered_change_accepts_both_passwords_until_the_station_logs_in_with_the_new_one()
    {
        const string newPassword = "new-password-2222-3333";
        var id = await UnansweredChange(newPassword);

        // the answer was lost: it may have switched or not, so both get in; logging in with the new one settles it
        await using (await Connect(id, newPassword, "ocpp2.0.1"))
        {
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<UpgradeRefusedException>(() => Connect(id, OldPassword, "ocpp2.0.1"))).Status);
        await using (await Connect(id, newPassword, "ocpp2.0.1"))
        {
        }
    }

    [Fact]
    public async Task An_unanswered_change_is_dropped_when_the_station_logs_in_with_its_old_password()
    {
        const string newPassword = "new-password-4444-5555";
        var id = await UnansweredChange(newPassword);

        await using (await Connect(id, OldPassword, "ocpp2.0.1"))
        {
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<UpgradeRefusedException>(() => Connect(id, newPassword, "ocpp2.0.1"))).Status);
    }

    [Fact]
    public async Task A_1_6_station_may_send_its_AuthorizationKey_as_the_raw_bytes_the_hex_digits_stand_for()
    {
        var id = await Registered(OldKey16);
        // OCPP-J 1.6 section 6.2.2's example: "identity:" followed by the key's bytes
        var raw = Convert.FromHexString(OldKey16);
        var header = "Basic " + Convert.ToBase64String([.. Encoding.UTF8.GetBytes(id + ":"), .. raw]);
        await using (await TestStation.ConnectAsync(new Uri(gateway.WebSocketBase, "ocpp/" + id), o => o.SetRequestHeader("Authorization", header), _from, "ocpp1.6"))
        {
        }

        raw[0] ^= 0xFF;
        var wrong = "Basic " + Convert.ToBase64String([.. Encoding.UTF8.GetBytes(id + ":"), .. raw]);
        var refused = await Assert.ThrowsAsync<UpgradeRefusedException>(() =>
            TestStation.ConnectAsync(new Uri(gateway.WebSocketBase, "ocpp/" + id), o => o.SetRequestHeader("Authorization", wrong), _from, "ocpp1.6"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }

    [Fact]
    public async Task The_password_is_changed_only_through_its_endpoint_one_change_at_a_time_and_in_each_versions_format()
    {
        var id = await Registered(OldKey16);
        await using var station = await Connect(id, OldKey16, "ocpp1.6");

        // a generic ChangeConfiguration of the key would lock the station out: refused, pointing to the endpoint
        var generic = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/commands",
            new { action = "ChangeConfiguration", payload = new { key = "AuthorizationKey", value = "AB".PadRight(40, 'C') } })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("/password", generic.Text("detail"), StringComparison.Ordinal);
        var typed = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/set-configuration",
            new { settings = new[] { new { name = "AuthorizationKey", value = "AB".PadRight(40, 'C') } } })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("/password", typed.Text("detail"), StringComparison.Ordinal);

        // 1.6 wants hex digits
        var notHex = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/password", new { password = "not-hex-but-long-enough-1234" }))
            .Expect(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("hexadecimal", notHex.Text("detail"), StringComparison.Ordinal);

        // a second change while the first awaits the station's answer is a 409
        var first = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/password", new { })).Expect(HttpStatusCode.Accepted);
        var call = await station.ReceiveCallAsync();
        var second = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/password", new { })).Expect(HttpStatusCode.Conflict);
        Assert.Contains("waiting for the station's answer", second.Text("detail"), StringComparison.Ordinal);
        await station.AnswerAsync(call, new { status = "Accepted" });
        Assert.Equal("Accepted", (await Finished(id, first.GetProperty("command").Text("commandId"))).Text("state"));

        // credentials are an admin matter: without a key, 401
        var anonymous = await gateway.Anonymous.PostAsync(new Uri($"api/v1/stations/{id}/password", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Theory]
    [InlineData("{not json", "not a valid password request")]
    [InlineData("""{"password":5}""", "not a valid password request")]
    public async Task A_malformed_password_request_is_a_400_that_says_what_is_wrong(string body, string expected)
    {
        var id = await Registered(OldPassword);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await gateway.Http.PostAsync(new Uri($"api/v1/stations/{id}/password", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task For_an_offline_station_a_newer_change_supersedes_a_queued_one_and_is_sent_when_it_reconnects()
    {
        var id = await Registered(OldPassword);
        await (await Connect(id, OldPassword, "ocpp2.0.1")).DisposeAsync();
        await ApiJson.PollAsync(async () => (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations/{id}")).Expect(HttpStatusCode.OK),
            s => !s.GetProperty("connection").GetProperty("connected").GetBoolean());

        var first = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/password", new { password = "first-password-000000" }))
            .Expect(HttpStatusCode.Accepted);
        var second = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/password", new { password = "second-password-11111" }))
            .Expect(HttpStatusCode.Accepted);
        var superseded = await Finished(id, first.GetProperty("command").Text("commandId"));
        Assert.Equal("Cancelled", superseded.Text("state"));
        Assert.Contains("superseded", superseded.Text("errorDescription"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Unauthorized,
            (await Assert.ThrowsAsync<UpgradeRefusedException>(() => Connect(id, "first-password-000000", "ocpp2.0.1"))).Status);
        await using var station = await Connect(id, OldPassword, "ocpp2.0.1");
        var call = await station.ReceiveCallAsync();
        Assert.Equal("second-password-11111", call.Payload.GetProperty("setVariableData")[0].Text("attributeValue"));
        Assert.Equal("Sent", (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations/{id}/commands/{second.GetProperty("command").Text("commandId")}"))
            .Expect(HttpStatusCode.OK).Text("state"));
    }

    /// <summary>A station whose change to <paramref name="newPassword"/> went out and was never answered; it is offline now.</summary>
    private async Task<string> UnansweredChange(string newPassword)
    {
        var id = await Registered(OldPassword);
        await using var station = await Connect(id, OldPassword, "ocpp2.0.1");
        var change = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/password?timeout=1", new { password = newPassword }))
            .Expect(HttpStatusCode.Accepted);
        await station.ReceiveCallAsync();
        Assert.Equal("TimedOut", (await Finished(id, change.GetProperty("command").Text("commandId"))).Text("state"));
        return id;
    }

    private async Task<JsonElement> Finished(string id, string commandId) => await ApiJson.PollAsync(
        async () => (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations/{id}/commands/{commandId}")).Expect(HttpStatusCode.OK),
        c => c.Text("state") is not ("Queued" or "Sent"));

    private async Task<string> Registered(string password)
    {
        var id = $"rot-{Guid.NewGuid():N}"[..16];
        (await ApiJson.SendAsync(gateway.Http, HttpMethod.Put, $"api/v1/stations/{id}/registration", new { securityProfile = 1, password }))
            .Expect(HttpStatusCode.OK);
        return id;
    }

    private async Task<TestStation> Connect(string id, string password, string version)
    {
        var station = await TestStation.ConnectAsync(new Uri(gateway.WebSocketBase, "ocpp/" + id),
            o => o.SetRequestHeader("Authorization", BasicCredentials.Header(id, password)), _from, version);
        await InboundCallTestsBoot.BootAsync(station, version);
        return station;
    }
}
