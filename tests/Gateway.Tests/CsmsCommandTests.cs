using Csms.Gateway.Tests.Infrastructure;
using Csms.Grains.Interfaces.Stations;

namespace Csms.Gateway.Tests;

/// <summary>CSMS-initiated calls: queued on the station grain, delivered over the socket, settled by the station's answer.</summary>
public sealed class CsmsCommandTests(GatewayAppFixture gateway) : IClassFixture<GatewayAppFixture>
{
    [Fact]
    public async Task A_command_sent_through_the_grain_reaches_the_station_even_after_a_garbage_collection_and_its_Accepted_answer_settles_it()
    {
        await using var station = await gateway.ConnectAsync("CMD-16", "ocpp1.6");
        var boot = await station.CallAsync("BootNotification", new { chargePointVendor = "TestVendor", chargePointModel = "Model-1" });
        Assert.Equal("Accepted", boot.Result.GetProperty("status").GetString());
        var grain = gateway.Grains.GetGrain<IChargingStationGrain>("cmd-16");
        CollectGarbage();

        var queued = await grain.SendCommand(new CommandRequest("Reset", """{"type":"Soft"}""", TimeSpan.FromSeconds(60)));
        var call = await station.ReceiveCallAsync();

        Assert.Equal(queued.CommandId, call.MessageId);
        Assert.Equal("Reset", call.Action);
        Assert.Equal("Soft", call.Payload.GetProperty("type").GetString());
        await station.AnswerAsync(call, new { status = "Accepted" });
        var settled = await WaitUntilFinal(grain, queued.CommandId);
        Assert.Equal(CommandState.Accepted, settled.State);
    }

    [Fact]
    public async Task A_command_the_station_rejects_is_recorded_as_Rejected()
    {
        await using var station = await gateway.ConnectAsync("CMD-201", "ocpp2.0.1");
        var boot = await station.CallAsync("BootNotification",
            new { reason = "PowerUp", chargingStation = new { model = "Model-2", vendorName = "TestVendor" } });
        Assert.Equal("Accepted", boot.Result.GetProperty("status").GetString());
        var grain = gateway.Grains.GetGrain<IChargingStationGrain>("cmd-201");
        CollectGarbage();

        var queued = await grain.SendCommand(new CommandRequest("Reset", """{"type":"Immediate"}""", TimeSpan.FromSeconds(60)));
        var call = await station.ReceiveCallAsync();

        Assert.Equal(queued.CommandId, call.MessageId);
        await station.AnswerAsync(call, new { status = "Rejected" });
        var settled = await WaitUntilFinal(grain, queued.CommandId);
        Assert.Equal(CommandState.Rejected, settled.State);
    }

    /// <summary>Orleans holds grain observers weakly: a collection here shows whether the gateway keeps its link alive.</summary>
    private static void CollectGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static async Task<CommandStatus> WaitUntilFinal(IChargingStationGrain grain, string commandId)
    {
        using var cap = new CancellationTokenSource(TestStation.Timeout);
        CommandStatus? status = null;
        while (!cap.IsCancellationRequested)
        {
            status = await grain.GetCommand(commandId);
            if (status is { IsFinal: true })
            {
                return status;
            }
            await Task.Delay(50, CancellationToken.None);
        }
        throw new TimeoutException($"command {commandId} was not settled within {TestStation.Timeout.TotalSeconds} s; last state {status?.State.ToString() ?? "unknown"}");
    }
}
