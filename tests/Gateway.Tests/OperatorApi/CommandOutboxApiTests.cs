using System.Net;
using Csms.Gateway.Tests.Infrastructure;

namespace Csms.Gateway.Tests.OperatorApi;

/// <summary>The command outbox through the API: states, offline stations, expiry, cancel, timeouts, idempotency, validation.</summary>
public sealed class CommandOutboxApiTests(GatewayAppFixture gateway) : IClassFixture<GatewayAppFixture>
{
    private static readonly object Reset16 = new { action = "Reset", payload = new { type = "Soft" } };

    [Fact]
    public async Task A_generic_command_is_sent_to_the_station_and_with_wait_the_answer_carries_its_outcome()
    {
        var (id, station) = await Booted16();
        await using var _ = station;

        var sending = ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/commands?wait=15", Reset16);
        var call = await station.ReceiveCallAsync();
        Assert.Equal("Reset", call.Action);
        await station.AnswerAsync(call, new { status = "Accepted" });

        var command = (await sending).Expect(HttpStatusCode.OK);
        Assert.Equal(call.MessageId, command.Text("commandId"));
        Assert.Equal("Accepted", command.Text("state"));
        Assert.Equal("Accepted", command.GetProperty("response").Text("status"));
        Assert.Equal("admin (Api:AdminKey)", command.Text("requestedBy"));
    }

    [Fact]
    public async Task Without_wait_the_command_is_accepted_for_delivery_with_202_and_a_location_to_poll()
    {
        var (id, station) = await Booted16();
        await using var _ = station;

        using var response = await gateway.Http.PostAsync(new Uri($"api/v1/stations/{id}/commands", UriKind.Relative),
            System.Net.Http.Json.JsonContent.Create(Reset16));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        var call = await station.ReceiveCallAsync();
        await station.AnswerAsync(call, new { status = "Rejected" });

        var settled = await ApiJson.PollAsync(async () => (await ApiJson.GetAsync(gateway.Http, location)).Expect(HttpStatusCode.OK),
            c => c.Text("state") != "Queued" && c.Text("state") != "Sent");
        Assert.Equal("Rejected", settled.Text("state"));
    }

    [Fact]
    public async Task A_command_for_an_offline_station_waits_in_the_queue_and_is_sent_when_it_reconnects()
    {
        var (id, station) = await Booted16();
        await station.DisposeAsync();
        await WaitDisconnected(id);

        var queued = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/commands", Reset16)).Expect(HttpStatusCode.Accepted);
        Assert.Equal("Queued", queued.Text("state"));
        await using var again = await gateway.ConnectAsync(id, "ocpp1.6");
        var call = await again.ReceiveCallAsync();
        Assert.Equal(queued.Text("commandId"), call.MessageId);
        await again.AnswerAsync(call, new { status = "Accepted" });

        var settled = await PollFinal(id, queued.Text("commandId"));
        Assert.Equal("Accepted", settled.Text("state"));
    }

    [Fact]
    public async Task With_offline_fail_a_command_for_an_offline_station_is_refused_at_once_and_recorded_as_cancelled()
    {
        var (id, station) = await Booted16();
        await station.DisposeAsync();
        await WaitDisconnected(id);

        var problem = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/commands?offline=fail", Reset16)).Expect(HttpStatusCode.Conflict);
        Assert.Contains("not connected", problem.Text("detail"), StringComparison.Ordinal);
        var command = (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations/{id}/commands/{problem.Text("commandId")}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Cancelled", command.Text("state"));
        Assert.Null(command.GetProperty("sentAt").GetString());
    }

    [Fact]
    public async Task A_queued_command_expires_unsent_if_the_station_does_not_come_back_in_time()
    {
        var (id, station) = await Booted16();
        await station.DisposeAsync();
        await WaitDisconnected(id);

        var queued = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/commands?expiresIn=1", Reset16)).Expect(HttpStatusCode.Accepted);

        var expired = await PollFinal(id, queued.Text("commandId"));
        Assert.Equal("Expired", expired.Text("state"));
        Assert.Contains("did not connect", expired.Text("errorDescription"), StringComparison.Ordinal);
        // and a station that connects afterwards is not sent it
        await using var again = await gateway.ConnectAsync(id, "ocpp1.6");
        var trigger = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/clear-cache", new { })).Expect(HttpStatusCode.Accepted);
        var call = await again.ReceiveCallAsync();
        Assert.Equal(trigger.Text("commandId"), call.MessageId);
    }

    [Fact]
    public async Task A_queued_command_can_be_cancelled_but_not_twice_and_a_sent_one_cannot_be()
    {
        var (id, station) = await Booted16();
        await station.DisposeAsync();
        await WaitDisconnected(id);
        var queued = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/commands", Reset16)).Expect(HttpStatusCode.Accepted);
        var path = $"api/v1/stations/{id}/commands/{queued.Text("commandId")}";

        var cancelled = (await ApiJson.SendAsync(gateway.Http, HttpMethod.Delete, path)).Expect(HttpStatusCode.OK);
        Assert.Equal("Cancelled", cancelled.Text("state"));
        (await ApiJson.SendAsync(gateway.Http, HttpMethod.Delete, path)).Expect(HttpStatusCode.Conflict);

        await using var again = await gateway.ConnectAsync(id, "ocpp1.6");
        var next = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/commands", Reset16)).Expect(HttpStatusCode.Accepted);
        var call = await again.ReceiveCallAsync();
        Assert.Equal(next.Text("commandId"), call.MessageId);
        var sentPath = $"api/v1/stations/{id}/commands/{next.Text("commandId")}";
        var refused = (await ApiJson.SendAsync(gateway.Http, HttpMethod.Delete, sentPath)).Expect(HttpStatusCode.Conflict);
        Assert.Contains("Sent", refused.Text("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_station_that_does_not_answer_in_time_gives_timedOut_and_the_next_command_goes_out()
    {
        var (id, station) = await Booted16();
        await using var _ = station;

        var sending = ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/commands?timeout=1&wait=20", Reset16);
        var unanswered = await station.ReceiveCallAsync();
        var timedOut = (await sending).Expect(HttpStatusCode.OK);
        Assert.Equal(unanswered.MessageId, timedOut.Text("commandId"));
        Assert.Equal("TimedOut", timedOut.Text("state"));

        var next = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/clear-cache", new { })).Expect(HttpStatusCode.Accepted);
        Assert.Equal(next.Text("commandId"), (await station.ReceiveCallAsync()).MessageId);
    }

    [Fact]
    public async Task A_CALLERROR_from_the_station_gives_callError_with_its_code()
    {
        var (id, station) = await Booted16();
        await using var _ = station;

        var sending = ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/commands?wait=15", Reset16);
        var call = await station.ReceiveCallAsync();
        await station.SendTextAsync($"""[4,"{call.MessageId}","NotImplemented","not here",{"{}"}]""");

        var command = (await sending).Expect(HttpStatusCode.OK);
        Assert.Equal("CallError", command.Text("state"));
        Assert.Equal("NotImplemented", command.Text("errorCode"));
    }

    [Fact]
    public async Task Only_one_call_is_outstanding_the_second_command_waits_until_the_first_is_answered()
    {
        var (id, station) = await Booted16();
        await using var _ = station;

        var first = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/commands", Reset16)).Expect(HttpStatusCode.Accepted);
        var second = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/clear-cache", new { })).Expect(HttpStatusCode.Accepted);
        var firstCall = await station.ReceiveCallAsync();
        Assert.Equal(first.Text("commandId"), firstCall.MessageId);
        var pending = (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations/{id}/commands")).Expect(HttpStatusCode.OK).GetProperty("pending");
        Assert.Equal("Queued", Assert.Single(pending.EnumerateArray(), c => c.Text("commandId") == second.Text("commandId")).Text("state"));

        await station.AnswerAsync(firstCall, new { status = "Accepted" });
        Assert.Equal(second.Text("commandId"), (await station.ReceiveCallAsync()).MessageId);
    }

    [Fact]
    public async Task The_same_Idempotency_Key_returns_the_first_command_and_reusing_it_for_another_command_is_a_conflict()
    {
        var (id, station) = await Booted16();
        await using var _ = station;
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = "op-" + Guid.NewGuid() };

        var first = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/commands", Reset16, key)).Expect(HttpStatusCode.Accepted);
        var retry = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/commands", Reset16, key)).Status;
        var again = await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/commands", Reset16, key);
        Assert.Contains(retry, new[] { HttpStatusCode.Accepted, HttpStatusCode.OK });
        Assert.Equal(first.Text("commandId"), again.Body.Text("commandId"));
        var other = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/commands",
            new { action = "Reset", payload = new { type = "Hard" } }, key)).Expect(HttpStatusCode.Conflict);
        Assert.Contains("Idempotency-Key", other.Text("detail"), StringComparison.Ordinal);

        // the station got one Reset only
        var call = await station.ReceiveCallAsync();
        Assert.Equal(first.Text("commandId"), call.MessageId);
        await station.AnswerAsync(call, new { status = "Accepted" });
        var history = await ApiJson.PollAsync(async () => (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations/{id}/commands")).Expect(HttpStatusCode.OK),
            l => l.GetProperty("history").GetArrayLength() > 0);
        Assert.Single(history.GetProperty("history").EnumerateArray());
    }

    [Theory]
    [InlineData("""{"action":"BootNotification","payload":{}}""", "not an action the CSMS sends")]
    [InlineData("""{"action":"Reset","payload":{"type":"Sideways"}}""", "not a valid OCPP 1.6 ResetRequest")]
    [InlineData("""{"action":"Reset","payload":[]}""", "payload must be a JSON object")]
    [InlineData("""{"action":"RequestStartTransaction","payload":{"idToken":{"idToken":"A","type":"Central"},"remoteStartId":1}}""", "not an action the CSMS sends in OCPP 1.6")]
    public async Task A_generic_command_that_is_not_valid_for_the_stations_version_is_refused_with_400_saying_why(string body, string expected)
    {
        var (id, station) = await Booted16();
        await using var _ = station;

        var problem = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/commands", body)).Expect(HttpStatusCode.BadRequest);
        Assert.Contains(expected, problem.Text("detail"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wait=abc", "wait must be")]
    [InlineData("wait=100000", "wait must be")]
    [InlineData("offline=maybe", "offline must be")]
    [InlineData("timeout=0", "timeout must be")]
    [InlineData("expiresIn=-5", "expiresIn must be")]
    public async Task Bad_command_options_are_refused_with_400_naming_the_option(string query, string expected)
    {
        var (id, station) = await Booted16();
        await using var _ = station;

        var problem = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/commands?{query}", Reset16)).Expect(HttpStatusCode.BadRequest);
        Assert.Contains(expected, problem.Text("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_for_a_station_that_never_connected_is_404()
    {
        var problem = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/never-{Guid.NewGuid():N}"[..30] + "/commands", Reset16))
            .Expect(HttpStatusCode.NotFound);
        Assert.Contains("never connected", problem.Text("detail"), StringComparison.Ordinal);
    }

    private async Task<(string Id, TestStation Station)> Booted16()
    {
        var id = $"ob-{Guid.NewGuid():N}"[..20];
        var station = await gateway.ConnectAsync(id, "ocpp1.6");
        var boot = await station.CallAsync("BootNotification", new { chargePointVendor = "TestVendor", chargePointModel = "Model-1" });
        Assert.Equal("Accepted", boot.Result.Text("status"));
        return (id, station);
    }

    private Task WaitDisconnected(string id) => ApiJson.PollAsync(
        async () => (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations/{id}")).Expect(HttpStatusCode.OK),
        s => !s.GetProperty("connection").GetProperty("connected").GetBoolean());

    private Task<System.Text.Json.JsonElement> PollFinal(string id, string commandId) => ApiJson.PollAsync(
        async () => (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations/{id}/commands/{commandId}")).Expect(HttpStatusCode.OK),
        c => c.Text("state") is not ("Queued" or "Sent"));
}
