using System.Net;
using System.Net.WebSockets;
using Csms.Gateway.Tests.Infrastructure;
using Csms.Gateway.Tests.OperatorApi;

namespace Csms.Gateway.Tests.Security;

/// <summary>A gateway that lets two CALLs wait behind the one being answered, and holds three unsent commands per station.</summary>
public sealed class SmallQueuesGatewayFixture : GatewayAppFixture
{
    protected override IEnumerable<string> ExtraArgs => ["--Gateway:MaxQueuedInboundCalls=2", "--Csms:MaxQueuedCommands=3"];
}

/// <summary>
/// OCPP-J 4.1.1: one outstanding CALL per direction. What a station sends beyond is answered with an error at once,
/// never queued without bound; answers to the CSMS's calls are matched to this station's own calls only.
/// </summary>
public sealed class InboundCallTests(GatewayAppFixture gateway) : IClassFixture<GatewayAppFixture>
{
    private const int Burst = 20;

    [Theory]
    [InlineData("ocpp1.6", "GenericError")]
    [InlineData("ocpp2.0.1", "RpcFrameworkError")]
    public async Task Calls_sent_while_one_is_unanswered_get_an_error_at_once_and_the_station_can_go_on(string version, string code)
    {
        await using var station = await gateway.ConnectAsync($"burst-{version}-{Guid.NewGuid():N}"[..28], version);
        await InboundCallTestsBoot.BootAsync(station, version);

        // twenty Heartbeats without waiting: the first is answered, and so is every other one, each exactly once
        var answers = await Task.WhenAll(Enumerable.Range(0, Burst).Select(_ => station.CallAsync("Heartbeat", new { })));

        Assert.True(answers[0].IsResult, answers[0].Raw);
        var refused = answers.Where(a => !a.IsResult).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, a =>
        {
            Assert.Equal(code, a.ErrorCode);
            Assert.Contains("one CALL at a time", a.ErrorDescription, StringComparison.Ordinal);
        });
        Assert.Equal(Burst, answers.Select(a => a.MessageId).Distinct().Count());

        // a station that waits for each answer is never refused
        for (var i = 0; i < 5; i++)
        {
            Assert.True((await station.CallAsync("Heartbeat", new { })).IsResult);
        }
        Assert.Equal(WebSocketState.Open, station.State);
    }

    [Fact]
    public async Task A_result_for_a_message_id_the_CSMS_never_sent_to_that_station_is_ignored_and_never_completes_another_stations_call()
    {
        var victimId = $"victim-{Guid.NewGuid():N}"[..24];
        await using var victim = await Booted(victimId);
        await using var attacker = await Booted($"attacker-{Guid.NewGuid():N}"[..24]);

        var sent = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{victimId}/commands",
            new { action = "Reset", payload = new { type = "Soft" } })).Expect(HttpStatusCode.Accepted);
        var call = await victim.ReceiveCallAsync();

        // the attacker answers the victim's call (its id seen or guessed), and answers ids nobody used
        await attacker.SendTextAsync($$"""[3,"{{call.MessageId}}",{"status":"Rejected"}]""");
        await attacker.SendTextAsync($$"""[4,"{{call.MessageId}}","GenericError","spoofed",{}]""");
        await attacker.SendTextAsync("""[3,"no-such-call",{"status":"Accepted"}]""");
        Assert.True((await attacker.CallAsync("Heartbeat", new { })).IsResult, "the attacker's connection keeps working, answered nothing");

        var command = $"api/v1/stations/{victimId}/commands/{sent.Text("commandId")}";
        Assert.Equal("Sent", (await ApiJson.GetAsync(gateway.Http, command)).Expect(HttpStatusCode.OK).Text("state"));

        await victim.AnswerAsync(call, new { status = "Accepted" });
        var settled = await ApiJson.PollAsync(async () => (await ApiJson.GetAsync(gateway.Http, command)).Expect(HttpStatusCode.OK),
            c => c.Text("state") != "Sent");
        Assert.Equal("Accepted", settled.Text("state"));
        Assert.Empty(attacker.Unexpected);
    }

    [Fact]
    public async Task A_station_cannot_stop_or_meter_another_stations_transaction()
    {
        var ownerId = $"owner-{Guid.NewGuid():N}"[..24];
        await using var owner = await Booted(ownerId);
        await using var other = await Booted($"other-{Guid.NewGuid():N}"[..24]);
        var start = await owner.CallAsync("StartTransaction",
            new { connectorId = 1, idTag = "TAG-OWN", meterStart = 1000, timestamp = DateTimeOffset.UtcNow });
        var transactionId = start.Result.GetProperty("transactionId").GetInt32();

        var stop = await other.CallAsync("StopTransaction",
            new { transactionId, meterStop = 1, timestamp = DateTimeOffset.UtcNow, reason = "Local" });
        var meter = await other.CallAsync("MeterValues", new
        {
            connectorId = 1,
            transactionId,
            meterValue = new[] { new { timestamp = DateTimeOffset.UtcNow, sampledValue = new[] { new { value = "999999" } } } },
        });

        // both are answered (the station must not retry forever), and the owner's transaction is untouched
        Assert.True(stop.IsResult, stop.Raw);
        Assert.True(meter.IsResult, meter.Raw);
        using var snapshot = await StationApi.GetAsync(gateway, ownerId);
        var transaction = StationApi.FindTransaction(snapshot.RootElement, transactionId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(transaction.GetProperty("active").GetBoolean(), transaction.GetRawText());
        Assert.Equal(1000m, transaction.GetProperty("meterStartWh").GetDecimal());
        Assert.DoesNotContain("999999", transaction.GetRawText(), StringComparison.Ordinal);
    }

    private async Task<TestStation> Booted(string id)
    {
        var station = await gateway.ConnectAsync(id, "ocpp1.6");
        await InboundCallTestsBoot.BootAsync(station, "ocpp1.6");
        return station;
    }
}

internal static class InboundCallTestsBoot
{
    public static async Task BootAsync(TestStation station, string version)
    {
        var boot = version == "ocpp1.6"
            ? await station.CallAsync("BootNotification", new { chargePointVendor = "TestVendor", chargePointModel = "Model-1" })
            : await station.CallAsync("BootNotification", new { reason = "PowerUp", chargingStation = new { model = "Model-1", vendorName = "TestVendor" } });
        Assert.Equal("Accepted", boot.Result.Text("status"));
    }
}

public sealed class SmallQueueTests(SmallQueuesGatewayFixture gateway) : IClassFixture<SmallQueuesGatewayFixture>
{
    [Fact]
    public async Task With_MaxQueuedInboundCalls_a_few_calls_wait_in_order_and_only_those_beyond_are_refused()
    {
        await using var station = await gateway.ConnectAsync($"pipe-{Guid.NewGuid():N}"[..24], "ocpp2.0.1");
        await InboundCallTestsBoot.BootAsync(station, "ocpp2.0.1");

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => station.CallAsync("Heartbeat", new { })));
        Assert.All(answers, a => Assert.True(a.IsResult, a.Raw));

        var burst = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => station.CallAsync("Heartbeat", new { })));
        Assert.True(burst.Count(a => a.IsResult) >= 3, string.Join(" | ", burst.Select(a => a.Raw)));
        Assert.Contains(burst, a => a.ErrorCode == "RpcFrameworkError");
    }

    [Fact]
    public async Task A_stations_outbox_holds_a_bounded_number_of_unsent_commands_and_refuses_more_with_429()
    {
        var id = $"outbox-{Guid.NewGuid():N}"[..24];
        await using var station = await gateway.ConnectAsync(id, "ocpp1.6");
        await InboundCallTestsBoot.BootAsync(station, "ocpp1.6");
        var reset = new { action = "Reset", payload = new { type = "Soft" } };

        for (var i = 0; i < 3; i++)
        {
            (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/commands", reset)).Expect(HttpStatusCode.Accepted);
        }
        var full = (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/commands", reset)).Expect(HttpStatusCode.TooManyRequests);
        Assert.Contains("Csms:MaxQueuedCommands", full.Text("detail"), StringComparison.Ordinal);

        // once the station answers one, there is room again
        var call = await station.ReceiveCallAsync();
        await station.AnswerAsync(call, new { status = "Accepted" });
        await ApiJson.PollAsync(async () => (await ApiJson.GetAsync(gateway.Http, $"api/v1/stations/{id}")).Expect(HttpStatusCode.OK),
            s => s.GetProperty("commands").EnumerateArray().Count(c => c.Text("state") is "Queued" or "Sent") < 3);
        (await ApiJson.PostAsync(gateway.Http, $"api/v1/stations/{id}/commands", reset)).Expect(HttpStatusCode.Accepted);
    }
}
