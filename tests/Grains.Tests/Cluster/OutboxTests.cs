using System.Text.Json;
using Csms.Grains.Interfaces.Stations;
using Csms.Ocpp;

namespace Csms.Grains.Tests.Cluster;

[Collection(AcceptAllCollection.Name)]
public class OutboxTests(AcceptAllCluster fixture)
{
    private static readonly TimeSpan LongTimeout = TimeSpan.FromMinutes(5);

    private async Task<StationDriver> AcceptedStation(OcppVersion version = OcppVersion.V16)
    {
        var station = await StationDriver.Connect(fixture.Client, version);
        await station.BootAccepted();
        return station;
    }

    private static Task<SentFrame> FrameNumber(StationDriver station, int count) =>
        Eventually.Get(() => station.Link.Sent.Count >= count ? station.Link.Sent[count - 1] : null, _ => true, $"CALL frame #{count} to be sent");

    private static Task<CommandStatus> CommandIn(StationDriver station, string commandId, CommandState state) =>
        Eventually.Get(() => station.Grain.GetCommand(commandId), c => c.State == state, $"command {commandId} to become {state}");

    [Fact]
    public async Task A_command_for_a_connected_station_is_sent_as_a_CALL_frame()
    {
        var station = await AcceptedStation();

        var command = await station.Grain.SendCommand(new CommandRequest("Reset", """{"type":"Hard"}""", LongTimeout));

        var sent = await FrameNumber(station, 1);
        Assert.Equal(station.StationId, sent.StationId);
        Assert.Equal(station.Epoch, sent.Epoch);
        var frame = StationDriver.Parse(sent.Frame);
        Assert.Equal(JsonValueKind.Array, frame.ValueKind);
        Assert.Equal(4, frame.GetArrayLength());
        Assert.Equal(2, frame[0].GetInt32());
        Assert.Equal(command.CommandId, frame[1].GetString());
        Assert.Equal("Reset", frame[2].GetString());
        Assert.Equal("Hard", frame[3].GetProperty("type").GetString());
        Assert.Equal(CommandState.Sent, (await station.Grain.GetCommand(command.CommandId))?.State);
    }

    [Fact]
    public async Task A_command_queued_while_offline_goes_out_only_once_the_gateway_has_attached_the_new_socket()
    {
        var station = await AcceptedStation();
        await station.Grain.Disconnect(station.Epoch, "test");
        var command = await station.Grain.SendCommand(new CommandRequest("Reset", """{"type":"Hard"}""", LongTimeout));

        // during Connect the gateway does not know the new epoch yet: a frame sent now would find no socket
        var link = new TestGatewayLink();
        var reference = fixture.Client.CreateObjectReference<Csms.Grains.Interfaces.Connections.IGatewayLink>(link);
        var epoch = (await station.Grain.Connect(new Csms.Grains.Interfaces.Connections.StationConnection(
            "test-gateway", reference, OcppVersion.V16, "127.0.0.1", DateTimeOffset.UtcNow))).Epoch;
        Assert.Empty(link.Sent);
        Assert.Equal(CommandState.Queued, (await station.Grain.GetCommand(command.CommandId))?.State);

        await station.Grain.Attached(epoch);

        var sent = await Eventually.Get(() => link.Sent.Count > 0 ? link.Sent[0] : null, _ => true, "the queued CALL to be sent");
        Assert.Equal(epoch, sent.Epoch);
        Assert.Equal(command.CommandId, StationDriver.Parse(sent.Frame)[1].GetString());
        GC.KeepAlive(link);
    }

    [Fact]
    public async Task An_Accepted_CALLRESULT_completes_the_command_as_Accepted()
    {
        var station = await AcceptedStation();
        var command = await station.Grain.SendCommand(new CommandRequest("Reset", """{"type":"Soft"}""", LongTimeout));
        await FrameNumber(station, 1);

        await station.Grain.HandleCallResult(station.Epoch, command.CommandId, """{"status":"Accepted"}""");

        var done = await CommandIn(station, command.CommandId, CommandState.Accepted);
        Assert.Equal("""{"status":"Accepted"}""", done.ResponseJson);
        Assert.NotNull(done.CompletedAt);
    }

    [Fact]
    public async Task A_Rejected_CALLRESULT_completes_the_command_as_Rejected()
    {
        var station = await AcceptedStation(OcppVersion.V201);
        var command = await station.Grain.SendCommand(new CommandRequest("Reset", """{"type":"Immediate"}""", LongTimeout));
        var frame = StationDriver.Parse((await FrameNumber(station, 1)).Frame);
        Assert.Equal("Immediate", frame[3].GetProperty("type").GetString());

        await station.Grain.HandleCallResult(station.Epoch, command.CommandId, """{"status":"Rejected"}""");

        await CommandIn(station, command.CommandId, CommandState.Rejected);
    }

    [Fact]
    public async Task A_second_command_is_sent_only_after_the_first_is_answered()
    {
        var station = await AcceptedStation();
        var first = await station.Grain.SendCommand(new CommandRequest("Reset", """{"type":"Hard"}""", LongTimeout));
        var second = await station.Grain.SendCommand(new CommandRequest("ClearCache", "{}", LongTimeout));
        await FrameNumber(station, 1);

        Assert.Equal(CommandState.Queued, (await station.Grain.GetCommand(second.CommandId))?.State);
        Assert.Single(station.Link.Sent);

        await station.Grain.HandleCallResult(station.Epoch, first.CommandId, """{"status":"Accepted"}""");

        var frame = StationDriver.Parse((await FrameNumber(station, 2)).Frame);
        Assert.Equal(second.CommandId, frame[1].GetString());
        Assert.Equal("ClearCache", frame[2].GetString());
        Assert.Equal(CommandState.Sent, (await station.Grain.GetCommand(second.CommandId))?.State);
    }

    [Fact]
    public async Task A_command_without_an_answer_times_out_and_the_next_one_is_sent()
    {
        var station = await AcceptedStation();
        var unanswered = await station.Grain.SendCommand(new CommandRequest("Reset", """{"type":"Hard"}""", TimeSpan.FromSeconds(1)));
        var next = await station.Grain.SendCommand(new CommandRequest("ClearCache", "{}", LongTimeout));

        var timedOut = await CommandIn(station, unanswered.CommandId, CommandState.TimedOut);

        Assert.Null(timedOut.ResponseJson);
        var frame = StationDriver.Parse((await FrameNumber(station, 2)).Frame);
        Assert.Equal(next.CommandId, frame[1].GetString());
    }

    [Fact]
    public async Task A_CALLRESULT_after_the_timeout_changes_nothing()
    {
        var station = await AcceptedStation();
        var command = await station.Grain.SendCommand(new CommandRequest("Reset", """{"type":"Hard"}""", TimeSpan.FromSeconds(1)));
        await CommandIn(station, command.CommandId, CommandState.TimedOut);

        await station.Grain.HandleCallResult(station.Epoch, command.CommandId, """{"status":"Accepted"}""");

        Assert.Equal(CommandState.TimedOut, (await station.Grain.GetCommand(command.CommandId))?.State);
    }

    [Fact]
    public async Task A_schema_invalid_response_completes_the_command_as_CallError()
    {
        var station = await AcceptedStation();
        var command = await station.Grain.SendCommand(new CommandRequest("Reset", """{"type":"Hard"}""", LongTimeout));
        await FrameNumber(station, 1);

        await station.Grain.HandleCallResult(station.Epoch, command.CommandId, """{"status":"Maybe"}""");

        var done = await CommandIn(station, command.CommandId, CommandState.CallError);
        Assert.NotNull(done.ErrorCode);
        Assert.NotNull(done.ErrorDescription);
    }

    [Fact]
    public async Task A_CALLERROR_completes_the_command_as_CallError_with_its_code()
    {
        var station = await AcceptedStation();
        var command = await station.Grain.SendCommand(new CommandRequest("Reset", """{"type":"Hard"}""", LongTimeout));
        await FrameNumber(station, 1);

        await station.Grain.HandleCallError(station.Epoch, command.CommandId, "NotImplemented", "no reset here");

        var done = await CommandIn(station, command.CommandId, CommandState.CallError);
        Assert.Equal("NotImplemented", done.ErrorCode);
        Assert.Equal("no reset here", done.ErrorDescription);
    }

    [Fact]
    public async Task A_command_queued_while_disconnected_is_sent_on_the_next_connection()
    {
        var station = await AcceptedStation();
        await station.Grain.Disconnect(station.Epoch, "socket closed");

        var command = await station.Grain.SendCommand(new CommandRequest("Reset", """{"type":"Hard"}""", LongTimeout));
        Assert.Equal(CommandState.Queued, command.State);
        Assert.Empty(station.Link.Sent);

        await station.Reconnect();

        var sent = await FrameNumber(station, 1);
        Assert.Equal(station.Epoch, sent.Epoch);
        Assert.Equal(command.CommandId, StationDriver.Parse(sent.Frame)[1].GetString());
    }

    [Fact]
    public async Task The_same_idempotency_key_queues_one_command()
    {
        var station = await AcceptedStation();

        var first = await station.Grain.SendCommand(new CommandRequest("Reset", """{"type":"Hard"}""", LongTimeout, "op-42"));
        var again = await station.Grain.SendCommand(new CommandRequest("Reset", """{"type":"Hard"}""", LongTimeout, "op-42"));

        Assert.Equal(first.CommandId, again.CommandId);
        Assert.Single((await station.Grain.GetSnapshot()).Commands);
    }
}
