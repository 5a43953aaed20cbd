using Csms.Ocpp;
using static Csms.Grains.Tests.Cluster.Times;

namespace Csms.Grains.Tests.Cluster;

[Collection(AcceptAllCollection.Name)]
public class V201LifecycleTests(AcceptAllCluster fixture)
{
    internal static string TransactionEvent(string eventType, int seqNo, string transactionId, int minutes, string? chargingState = null,
        string? idToken = null, bool withEvse = false, string? meterValue = null, bool offline = false, string? stoppedReason = null, string triggerReason = "MeterValuePeriodic")
    {
        var parts = new List<string>
        {
            $"\"eventType\":\"{eventType}\"",
            $"\"timestamp\":\"{At(minutes)}\"",
            $"\"triggerReason\":\"{triggerReason}\"",
            $"\"seqNo\":{seqNo}",
        };
        var info = $"\"transactionId\":\"{transactionId}\"";
        if (chargingState is not null)
        {
            info += $",\"chargingState\":\"{chargingState}\"";
        }
        if (stoppedReason is not null)
        {
            info += $",\"stoppedReason\":\"{stoppedReason}\"";
        }
        parts.Add($"\"transactionInfo\":{{{info}}}");
        if (offline)
        {
            parts.Add("\"offline\":true");
        }
        if (idToken is not null)
        {
            parts.Add($"\"idToken\":{{\"idToken\":\"{idToken}\",\"type\":\"ISO14443\"}}");
        }
        if (withEvse)
        {
            parts.Add("\"evse\":{\"id\":1,\"connectorId\":1}");
        }
        if (meterValue is not null)
        {
            parts.Add($"\"meterValue\":{meterValue}");
        }
        return "{" + string.Join(",", parts) + "}";
    }

    internal static string Energy(int minutes, string value, string context, string unit = "Wh") =>
        $$$"""[{"timestamp":"{{{At(minutes)}}}","sampledValue":[{"value":{{{value}}},"context":"{{{context}}}","measurand":"Energy.Active.Import.Register","unitOfMeasure":{"unit":"{{{unit}}}"}}]}]""";

    [Fact]
    public async Task A_whole_2_0_1_charging_session_tracks_charging_state_and_energy_and_answers_idTokenInfo_only_for_an_idToken()
    {
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V201);
        var tx = Guid.NewGuid().ToString();
        await station.BootAccepted();
        await station.CallOk("StatusNotification", $$"""{"timestamp":"{{At(0)}}","connectorStatus":"Occupied","evseId":1,"connectorId":1}""");

        var started = await station.CallOk("TransactionEvent", TransactionEvent("Started", 0, tx, 0, "EVConnected", Tokens.Good, withEvse: true,
            meterValue: Energy(0, "1000", "Transaction.Begin"), triggerReason: "Authorized"));
        Assert.Equal("Accepted", started.GetProperty("idTokenInfo").GetProperty("status").GetString());

        var updated = await station.CallOk("TransactionEvent", TransactionEvent("Updated", 1, tx, 10, "Charging",
            meterValue: Energy(10, "2.5", "Sample.Periodic", "kWh"), triggerReason: "ChargingStateChanged"));
        Assert.False(updated.TryGetProperty("idTokenInfo", out _), "idTokenInfo must be absent when no idToken was sent");

        var running = Assert.Single((await station.Grain.GetSnapshot()).ActiveTransactions);
        Assert.Equal(tx, running.TransactionId);
        Assert.Equal("Charging", running.ChargingState);
        Assert.Equal(1500m, running.EnergyWh);
        Assert.Equal(1, running.EvseId);
        Assert.Equal(1, running.ConnectorId);
        Assert.Equal(Tokens.Good, running.IdToken);

        var ended = await station.CallOk("TransactionEvent", TransactionEvent("Ended", 2, tx, 20, "Idle", Tokens.Good,
            meterValue: Energy(20, "4000", "Transaction.End"), stoppedReason: "EVDisconnected", triggerReason: "EVCommunicationLost"));
        Assert.Equal("Accepted", ended.GetProperty("idTokenInfo").GetProperty("status").GetString());

        var snapshot = await station.Grain.GetSnapshot();
        Assert.Empty(snapshot.ActiveTransactions);
        var completed = Assert.Single(snapshot.RecentTransactions);
        Assert.Equal(tx, completed.TransactionId);
        Assert.False(completed.Active);
        Assert.Equal(3000m, completed.EnergyWh);
        Assert.Equal("Idle", completed.ChargingState);
        Assert.Equal("EVDisconnected", completed.StoppedReason);
        Assert.Equal(3, completed.EventsReceived);
        Assert.Empty(completed.MissingSeqNos);
        Assert.Empty(completed.Flags);
        Assert.Single(await fixture.Ledger.ListAsync(station.StationId, 10));
    }

    [Fact]
    public async Task SeqNo_gaps_show_in_the_snapshot_and_are_filled_by_an_offline_replay()
    {
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V201);
        var tx = Guid.NewGuid().ToString();
        await station.BootAccepted();
        await station.CallOk("TransactionEvent", TransactionEvent("Started", 0, tx, 0, "Charging", withEvse: true));
        await station.CallOk("TransactionEvent", TransactionEvent("Updated", 3, tx, 30));

        var gapped = Assert.Single((await station.Grain.GetSnapshot()).ActiveTransactions);
        Assert.Equal([1, 2], gapped.MissingSeqNos);

        await station.CallOk("TransactionEvent", TransactionEvent("Updated", 2, tx, 20, offline: true));
        await station.CallOk("TransactionEvent", TransactionEvent("Updated", 1, tx, 10, offline: true));

        var filled = Assert.Single((await station.Grain.GetSnapshot()).ActiveTransactions);
        Assert.Empty(filled.MissingSeqNos);
        Assert.Equal(2, filled.OfflineEvents);
        Assert.Equal(4, filled.EventsReceived);
    }

    [Fact]
    public async Task A_new_transaction_on_an_EVSE_whose_open_one_never_ended_closes_it_flagged_EndNotReceived_and_billed()
    {
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V201);
        var first = Guid.NewGuid().ToString();
        var second = Guid.NewGuid().ToString();
        await station.BootAccepted();
        await station.CallOk("TransactionEvent", TransactionEvent("Started", 0, first, 0, "Charging", withEvse: true,
            meterValue: Energy(0, "1000", "Transaction.Begin")));

        await station.CallOk("TransactionEvent", TransactionEvent("Started", 0, second, 60, "Charging", withEvse: true));

        var snapshot = await station.Grain.GetSnapshot();
        Assert.Equal(second, Assert.Single(snapshot.ActiveTransactions).TransactionId);
        var closed = Assert.Single(snapshot.RecentTransactions);
        Assert.Equal(first, closed.TransactionId);
        Assert.Contains("EndNotReceived", closed.Flags);
        Assert.Contains(await fixture.Ledger.ListAsync(station.StationId, 10), row => row.TransactionId == first);
    }

    [Fact]
    public async Task A_late_offline_event_of_an_older_transaction_does_not_end_the_open_one()
    {
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V201);
        var open = Guid.NewGuid().ToString();
        await station.BootAccepted();
        await station.CallOk("TransactionEvent", TransactionEvent("Started", 0, open, 60, "Charging", withEvse: true));

        await station.CallOk("TransactionEvent", TransactionEvent("Updated", 4, Guid.NewGuid().ToString(), 10, offline: true, withEvse: true));
        await station.CallOk("TransactionEvent", TransactionEvent("Started", 0, Guid.NewGuid().ToString(), 5, offline: true, withEvse: true));

        var snapshot = await station.Grain.GetSnapshot();
        var active = Assert.Single(snapshot.Evses).ActiveTransaction;
        Assert.Equal(open, active!.TransactionId);
        Assert.Empty(active.Flags);
    }

    [Fact]
    public async Task Without_unitOfMeasure_only_an_energy_reading_defaults_to_Wh_and_a_power_reading_keeps_no_unit()
    {
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V201);
        var tx = Guid.NewGuid().ToString();
        await station.BootAccepted();
        var readings = $$"""[{"timestamp":"{{At(0)}}","sampledValue":[{"value":1000,"context":"Transaction.Begin","measurand":"Energy.Active.Import.Register"},{"value":7400,"context":"Transaction.Begin","measurand":"Power.Active.Import"}]}]""";

        await station.CallOk("TransactionEvent", TransactionEvent("Started", 0, tx, 0, "Charging", Tokens.Good, withEvse: true, meterValue: readings, triggerReason: "Authorized"));

        var samples = (await station.Grain.GetSnapshot()).Evses.Single(e => e.EvseId == 1).LastMeterValues;
        Assert.Equal("Wh", samples.Single(s => s.Measurand == "Energy.Active.Import.Register").Unit);
        Assert.Null(samples.Single(s => s.Measurand == "Power.Active.Import").Unit);
    }

    [Fact]
    public async Task DataTransfer_from_an_unknown_vendor_is_answered_UnknownVendorId()
    {
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V201);
        await station.BootAccepted();

        var reply = await station.CallOk("DataTransfer", """{"vendorId":"com.example.unknown"}""");

        Assert.Equal("UnknownVendorId", reply.GetProperty("status").GetString());
    }
}
