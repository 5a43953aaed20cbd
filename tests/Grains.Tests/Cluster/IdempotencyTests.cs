using System.Globalization;
using Csms.Ocpp;
using Csms.Ocpp.Framing;

namespace Csms.Grains.Tests.Cluster;

[Collection(AcceptAllCollection.Name)]
public class IdempotencyTests(AcceptAllCluster fixture)
{
    private async Task<StationDriver> AcceptedV16()
    {
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V16);
        await station.BootAccepted();
        return station;
    }

    [Fact]
    public async Task StartTransaction_retried_with_the_same_message_id_returns_the_same_transaction_id()
    {
        var station = await AcceptedV16();
        var payload = V16LifecycleTests.StartTransaction(1, Tokens.Good, 100, 0);

        var first = await station.CallOk("StartTransaction", payload, "start-1");
        var retry = await station.CallOk("StartTransaction", payload, "start-1");

        Assert.Equal(first.GetProperty("transactionId").GetInt32(), retry.GetProperty("transactionId").GetInt32());
        var active = Assert.Single((await station.Grain.GetSnapshot()).ActiveTransactions);
        Assert.Equal(1, active.EventsReceived);
    }

    [Fact]
    public async Task StartTransaction_with_the_same_content_and_a_new_message_id_returns_the_same_transaction_id()
    {
        var station = await AcceptedV16();
        var payload = V16LifecycleTests.StartTransaction(1, Tokens.Good, 100, 0);

        var first = await station.CallOk("StartTransaction", payload);
        var resent = await station.CallOk("StartTransaction", payload);

        var id = first.GetProperty("transactionId").GetInt32();
        Assert.Equal(id, resent.GetProperty("transactionId").GetInt32());
        var snapshot = await station.Grain.GetSnapshot();
        Assert.Equal(id.ToString(CultureInfo.InvariantCulture), Assert.Single(snapshot.ActiveTransactions).TransactionId);
        Assert.Empty(snapshot.RecentTransactions);
    }

    [Fact]
    public async Task StopTransaction_retried_with_the_same_message_id_records_one_ledger_row()
    {
        var station = await AcceptedV16();
        var id = (await station.CallOk("StartTransaction", V16LifecycleTests.StartTransaction(1, Tokens.Good, 100, 0))).GetProperty("transactionId").GetInt32();
        var stop = V16LifecycleTests.StopTransaction(id, 600, 10);

        var first = await station.CallOk("StopTransaction", stop, "stop-1");
        var retry = await station.CallOk("StopTransaction", stop, "stop-1");

        Assert.Equal(first.GetRawText(), retry.GetRawText());
        var row = Assert.Single(await fixture.Ledger.ListAsync(station.StationId, 10));
        Assert.Equal(500m, row.EnergyWh);
        Assert.Single((await station.Grain.GetSnapshot()).RecentTransactions);
    }

    [Fact]
    public async Task StopTransaction_retried_with_a_new_message_id_still_records_one_ledger_row()
    {
        var station = await AcceptedV16();
        var id = (await station.CallOk("StartTransaction", V16LifecycleTests.StartTransaction(1, Tokens.Good, 100, 0))).GetProperty("transactionId").GetInt32();
        var stop = V16LifecycleTests.StopTransaction(id, 600, 10);

        await station.CallOk("StopTransaction", stop);
        await station.CallOk("StopTransaction", stop);

        var row = Assert.Single(await fixture.Ledger.ListAsync(station.StationId, 10));
        Assert.Equal(500m, row.EnergyWh);
        // and no phantom StartNotReceived copy of it on EVSE 0
        var completed = Assert.Single((await station.Grain.GetSnapshot()).RecentTransactions);
        Assert.Equal(1, completed.EvseId);
        Assert.Empty(completed.Flags);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StopTransaction_whose_ledger_write_failed_is_recorded_when_the_station_retries(bool sameMessageId)
    {
        // the station got a CALLERROR (the database dropped out mid-failover) and sends the stop again: the retry must not
        // be taken for a duplicate of a stop that was never recorded
        var station = await AcceptedV16();
        var id = (await station.CallOk("StartTransaction", V16LifecycleTests.StartTransaction(1, Tokens.Good, 100, 0))).GetProperty("transactionId").GetInt32();
        var stop = V16LifecycleTests.StopTransaction(id, 600, 10);
        fixture.LedgerFaults.FailNextWrites(station.StationId);

        var failed = await station.Call("StopTransaction", stop, "stop-1");
        Assert.True(failed.IsError);
        Assert.Equal(OcppErrorCode.InternalError, failed.ErrorCode);
        Assert.Empty(await fixture.Ledger.ListAsync(station.StationId, 10));

        await station.CallOk("StopTransaction", stop, sameMessageId ? "stop-1" : null);

        var row = Assert.Single(await fixture.Ledger.ListAsync(station.StationId, 10));
        Assert.Equal(500m, row.EnergyWh);
        Assert.Empty(row.Flags);
        var snapshot = await station.Grain.GetSnapshot();
        Assert.Empty(snapshot.ActiveTransactions);
        Assert.Single(snapshot.RecentTransactions);
    }

    [Fact]
    public async Task MeterValues_retried_with_the_same_message_id_are_recorded_once()
    {
        var station = await AcceptedV16();
        var id = (await station.CallOk("StartTransaction", V16LifecycleTests.StartTransaction(1, Tokens.Good, 100, 0))).GetProperty("transactionId").GetInt32();
        var meterValues = V16LifecycleTests.MeterValues(1, id, 5, "300", "Wh");

        await station.CallOk("MeterValues", meterValues, "mv-1");
        await station.CallOk("MeterValues", meterValues, "mv-1");

        Assert.Equal(2, Assert.Single((await station.Grain.GetSnapshot()).ActiveTransactions).EventsReceived);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TransactionEvent_with_the_same_seqNo_twice_is_recorded_once(bool sameMessageId)
    {
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V201);
        await station.BootAccepted();
        var tx = Guid.NewGuid().ToString();
        await station.CallOk("TransactionEvent", V201LifecycleTests.TransactionEvent("Started", 0, tx, 0, "Charging", withEvse: true));
        var update = V201LifecycleTests.TransactionEvent("Updated", 1, tx, 5, "Charging",
            meterValue: V201LifecycleTests.Energy(5, "700", "Sample.Periodic"));

        await station.CallOk("TransactionEvent", update, sameMessageId ? "te-1" : null);
        await station.CallOk("TransactionEvent", update, sameMessageId ? "te-1" : null);

        var active = Assert.Single((await station.Grain.GetSnapshot()).ActiveTransactions);
        Assert.Equal(2, active.EventsReceived);
        Assert.Empty(active.MissingSeqNos);
    }
}
