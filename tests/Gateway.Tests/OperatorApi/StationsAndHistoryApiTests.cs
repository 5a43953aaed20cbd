using System.Net;
using System.Text.Json;
using Csms.Gateway.Tests.Infrastructure;

namespace Csms.Gateway.Tests.OperatorApi;

/// <summary>Registration, id tokens, station lists, transactions, events and the live stream, through the API.</summary>
public sealed class StationsAndHistoryApiTests(GatewayAppFixture gateway) : IClassFixture<GatewayAppFixture>
{
    [Fact]
    public async Task A_registered_station_is_listed_by_its_site_and_its_password_is_never_shown()
    {
        var id = NewId();
        var site = "site-" + id;
        var registered = (await ApiJson.SendAsync(gateway.Http, HttpMethod.Put, $"api/v1/stations/{id}/registration",
            new { site, description = "car park level 2", securityProfile = 1, password = "0123456789abcdef-secret" })).Expect(HttpStatusCode.OK);
        Assert.True(registered.GetProperty("hasPassword").GetBoolean());
        Assert.DoesNotContain("secret", registered.GetRawText(), StringComparison.Ordinal);

        // security profile 1: it connects with its identity and password (HTTP Basic)
        await using var station = await Boot16(id, "0123456789abcdef-secret");
        var page = await ApiJson.PollAsync(async () => (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations?site={site}")).Expect(HttpStatusCode.OK),
            p => p.GetProperty("items").GetArrayLength() == 1 && p.GetProperty("items")[0].GetProperty("connected").GetBoolean());
        var listed = page.GetProperty("items")[0];
        Assert.Equal(id, listed.Text("stationId"));
        Assert.Equal("car park level 2", listed.Text("description"));
        Assert.Equal("TestVendor", listed.Text("vendor"));
        Assert.Equal("1.6", listed.Text("ocppVersion"));
        var registration = (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations/{id}/registration")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, registration.GetProperty("securityProfile").GetInt32());
    }

    [Fact]
    public async Task A_registration_with_bad_fields_is_a_validation_problem_naming_each()
    {
        var problem = (await ApiJson.SendAsync(gateway.Http, HttpMethod.Put, $"api/v1/stations/{NewId()}/registration",
            new { securityProfile = 7, password = "short" })).Expect(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("securityProfile", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));
    }

    [Fact]
    public async Task Station_lists_page_with_a_cursor_and_refuse_a_bad_one()
    {
        var site = "paging-" + NewId();
        foreach (var i in Enumerable.Range(0, 3))
        {
            (await ApiJson.SendAsync(gateway.Http, HttpMethod.Put, $"api/v1/stations/{site}-{i}/registration", new { site })).Expect(HttpStatusCode.OK);
        }
        var first = (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations?site={site}&limit=2")).Expect(HttpStatusCode.OK);
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        var second = (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations?site={site}&limit=2&cursor={first.Text("nextCursor")}")).Expect(HttpStatusCode.OK);
        Assert.Equal($"{site}-2", Assert.Single(second.GetProperty("items").EnumerateArray()).Text("stationId"));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);

        var bad = (await ApiJson.GetAsync(gateway.Http, "api/v1/stations?cursor=not-a-cursor")).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("cursor", bad.Text("detail"), StringComparison.Ordinal);
        (await ApiJson.GetAsync(gateway.Http, "api/v1/stations?limit=501")).Expect(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_pending_station_is_accepted_at_its_next_boot_once_an_operator_approves_it()
    {
        var id = NewId();
        await using var station = await gateway.ConnectAsync(id, "ocpp1.6");
        (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/reject")).Expect(HttpStatusCode.NoContent);
        var rejected = await station.CallAsync("BootNotification", new { chargePointVendor = "TestVendor", chargePointModel = "Model-1" });
        Assert.Equal("Rejected", rejected.Result.Text("status"));

        (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/approve")).Expect(HttpStatusCode.NoContent);
        var accepted = await station.CallAsync("BootNotification", new { chargePointVendor = "TestVendor", chargePointModel = "Model-1" });
        Assert.Equal("Accepted", accepted.Result.Text("status"));
    }

    [Fact]
    public async Task A_removed_station_is_disconnected_forgotten_and_gone_from_the_list()
    {
        var id = NewId();
        await using var station = await Boot16(id);

        (await ApiJson.SendAsync(gateway.Http, HttpMethod.Delete, $"api/v1/stations/{id}")).Expect(HttpStatusCode.NoContent);

        await station.WaitForCloseAsync();
        (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations/{id}")).Expect(HttpStatusCode.NotFound);
        (await ApiJson.SendAsync(gateway.Http, HttpMethod.Delete, $"api/v1/stations/{id}")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_id_token_set_through_the_API_decides_Authorize_and_deleting_it_restores_the_default()
    {
        var id = NewId();
        await using var station = await Boot16(id);
        var token = "TK" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();

        var stored = (await ApiJson.SendAsync(gateway.Http, HttpMethod.Put, $"api/v1/id-tokens/{token}",
            new { status = "Blocked", groupId = "FLEET-1" })).Expect(HttpStatusCode.OK);
        Assert.Equal("Blocked", stored.GetProperty("effective").Text("status"));
        var authorize = await station.CallAsync("Authorize", new { idTag = token });
        Assert.Equal("Blocked", authorize.Result.GetProperty("idTagInfo").Text("status"));
        var listed = (await ApiJson.GetAsync(gateway.Http, "api/v1/id-tokens?group=FLEET-1")).Expect(HttpStatusCode.OK);
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), t => t.Text("idToken") == token);

        (await ApiJson.SendAsync(gateway.Http, HttpMethod.Delete, $"api/v1/id-tokens/{token}")).Expect(HttpStatusCode.NoContent);
        // the fixture configures no tokens, so unknown tokens are accepted
        var after = await station.CallAsync("Authorize", new { idTag = token });
        Assert.Equal("Accepted", after.Result.GetProperty("idTagInfo").Text("status"));
        (await ApiJson.SendAsync(gateway.Http, HttpMethod.Delete, $"api/v1/id-tokens/{token}")).Expect(HttpStatusCode.NotFound);
        var invalid = (await ApiJson.SendAsync(gateway.Http, HttpMethod.Put, $"api/v1/id-tokens/{token}", new { status = "Unknown" })).Expect(HttpStatusCode.BadRequest);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("status", out _));
    }

    [Fact]
    public async Task A_finished_transaction_is_in_the_history_by_station_and_token_with_its_meter_values_and_an_active_one_is_live()
    {
        var id = NewId();
        var token = "TX" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await using var station = await Boot16(id);
        var started = await station.CallAsync("StartTransaction", new { connectorId = 1, idTag = token, meterStart = 1000, timestamp = DateTimeOffset.UtcNow });
        var transactionId = started.Result.GetProperty("transactionId").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await station.CallAsync("MeterValues", new
        {
            connectorId = 1,
            transactionId = int.Parse(transactionId, System.Globalization.CultureInfo.InvariantCulture),
            meterValue = new[] { new { timestamp = DateTimeOffset.UtcNow, sampledValue = new[] { new { value = "1500" } } } },
        });
        var active = (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations/{id}/transactions/{transactionId}")).Expect(HttpStatusCode.OK);
        Assert.True(active.GetProperty("active").GetBoolean());
        Assert.Single((await ApiJson.GetAsync(gateway.Http, $"api/v1/stations/{id}/transactions/active")).Expect(HttpStatusCode.OK).EnumerateArray());

        await station.CallAsync("StopTransaction", new
        {
            transactionId = int.Parse(transactionId, System.Globalization.CultureInfo.InvariantCulture),
            meterStop = 2000,
            timestamp = DateTimeOffset.UtcNow,
        });

        var byToken = (await ApiJson.GetAsync(gateway.Http, $"api/v1/transactions?idToken={token}")).Expect(HttpStatusCode.OK);
        var row = Assert.Single(byToken.GetProperty("items").EnumerateArray());
        Assert.Equal(id, row.Text("stationId"));
        Assert.Equal(1000m, row.GetProperty("transaction").GetProperty("energyWh").GetDecimal());
        var byStation = (await ApiJson.GetAsync(gateway.Http, $"api/v1/transactions?station={id}&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}"))
            .Expect(HttpStatusCode.OK);
        Assert.Single(byStation.GetProperty("items").EnumerateArray());
        var detail = await ApiJson.PollAsync(
            async () => (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations/{id}/transactions/{transactionId}")).Expect(HttpStatusCode.OK),
            d => d.GetProperty("meterValues").GetArrayLength() > 0 && d.GetProperty("events").GetArrayLength() >= 2);
        Assert.False(detail.GetProperty("active").GetBoolean());
        var events = detail.GetProperty("events").EnumerateArray().Select(e => e.Text("detail")).ToArray();
        Assert.Equal(2, events.Length);
        Assert.StartsWith($"{transactionId}: Started", events[0], StringComparison.Ordinal);
        Assert.StartsWith($"{transactionId}: Ended", events[1], StringComparison.Ordinal);
        Assert.Contains("stopped: Local", events[1], StringComparison.Ordinal);
        Assert.Equal(1500m, detail.GetProperty("meterValues")[0].GetProperty("sample").GetProperty("value").GetDecimal());
        (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations/{id}/transactions/999999999")).Expect(HttpStatusCode.NotFound);
        (await ApiJson.GetAsync(gateway.Http, "api/v1/transactions?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")).Expect(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_stations_events_are_paged_newest_first()
    {
        var id = NewId();
        await using (await Boot16(id))
        {
        }
        var events = await ApiJson.PollAsync(async () => (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations/{id}/events?limit=2")).Expect(HttpStatusCode.OK),
            p => p.GetProperty("items").GetArrayLength() == 2 && p.GetProperty("nextCursor").ValueKind == JsonValueKind.String);
        var seqs = events.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()).ToArray();
        Assert.True(seqs[0] > seqs[1]);
        var more = (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations/{id}/events?limit=2&cursor={events.Text("nextCursor")}")).Expect(HttpStatusCode.OK);
        Assert.All(more.GetProperty("items").EnumerateArray(), e => Assert.True(e.GetProperty("seq").GetInt64() < seqs[1]));
        Assert.Contains(new[] { events, more }.SelectMany(p => p.GetProperty("items").EnumerateArray()), e => e.Text("kind") == "Connected");
    }

    [Fact]
    public async Task The_live_stream_for_one_station_shows_its_connection_boot_and_transaction_as_they_happen()
    {
        var id = NewId();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await gateway.Http.GetAsync(new Uri($"api/v1/events/stream?station={id}", UriKind.Relative),
            HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        Assert.Equal("ready", await NextEvent(reader, cancel.Token));

        await using var other = await Boot16(NewId());
        await using var station = await Boot16(id);
        await station.CallAsync("StartTransaction", new { connectorId = 1, idTag = "LIVE", meterStart = 0, timestamp = DateTimeOffset.UtcNow });

        var seen = new List<string>();
        while (!seen.Contains("TransactionStarted"))
        {
            seen.Add(await NextEvent(reader, cancel.Token));
        }
        Assert.Equal(["Connected", "Booted", "TransactionStarted"], seen.Where(k => k != "keepalive").ToArray());
    }

    [Fact]
    public async Task The_registration_policy_can_be_read_by_a_viewer()
    {
        var policy = (await ApiJson.GetAsync(gateway.Http, "api/v1/registration-policy")).Expect(HttpStatusCode.OK);
        Assert.Equal("AcceptAll", policy.Text("policy"));
    }

    private static async Task<string> NextEvent(StreamReader reader, CancellationToken cancel)
    {
        while (await reader.ReadLineAsync(cancel) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                return line["event: ".Length..];
            }
        }
        throw new InvalidOperationException("the stream ended");
    }

    private async Task<TestStation> Boot16(string id, string? password = null)
    {
        var station = password is null
            ? await gateway.ConnectAsync(id, "ocpp1.6")
            : await TestStation.ConnectAsync(new Uri(gateway.WebSocketBase, "ocpp/" + id),
                o => o.SetRequestHeader("Authorization", BasicCredentials.Header(id, password)),
                null, "ocpp1.6");
        var boot = await station.CallAsync("BootNotification", new { chargePointVendor = "TestVendor", chargePointModel = "Model-1" });
        Assert.Equal("Accepted", boot.Result.Text("status"));
        return station;
    }

    private static string NewId() => $"sh-{Guid.NewGuid():N}"[..20];
}

/// <summary>The configuration snapshot: what a station answered to get-configuration / set-configuration, through the API.</summary>
public sealed class StationConfigurationApiTests(GatewayAppFixture gateway) : IClassFixture<GatewayAppFixture>
{
    [Fact]
    public async Task A_16_stations_GetConfiguration_answer_and_an_accepted_change_are_in_its_configuration()
    {
        var id = $"cfg-{Guid.NewGuid():N}"[..20];
        await using var station = await gateway.ConnectAsync(id, "ocpp1.6");
        Assert.Equal("Accepted", (await station.CallAsync("BootNotification", new { chargePointVendor = "V", chargePointModel = "M" })).Result.Text("status"));

        var reading = ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/get-configuration?wait=15", new { names = new[] { "HeartbeatInterval" } });
        var get = await station.ReceiveCallAsync();
        await station.AnswerAsync(get, new { configurationKey = new[] { new { key = "HeartbeatInterval", @readonly = false, value = "300" } } });
        (await reading).Expect(HttpStatusCode.OK);
        var changing = ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/set-configuration?wait=15",
            new { settings = new[] { new { name = "HeartbeatInterval", value = "900" } } });
        var change = await station.ReceiveCallAsync();
        Assert.Equal("ChangeConfiguration", change.Action);
        await station.AnswerAsync(change, new { status = "Accepted" });
        (await changing).Expect(HttpStatusCode.OK);

        var config = (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations/{id}/configuration")).Expect(HttpStatusCode.OK);
        var heartbeat = Assert.Single(config.EnumerateArray());
        Assert.Equal("HeartbeatInterval", heartbeat.Text("name"));
        Assert.Equal("900", heartbeat.Text("value"));
        Assert.Equal("ChangeConfiguration", heartbeat.Text("source"));
        Assert.False(heartbeat.GetProperty("readOnly").GetBoolean());
    }
}
