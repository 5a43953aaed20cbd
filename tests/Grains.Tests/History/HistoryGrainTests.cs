using Csms.Grains.Interfaces.History;
using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Tests.Cluster;
using Csms.Ocpp;
using static Csms.Grains.Tests.Cluster.V16LifecycleTests;

namespace Csms.Grains.Tests.History;

/// <summary>The history grain in a silo with standalone mode's stores, fed by real station grains.</summary>
[Collection(AcceptAllCollection.Name)]
public sealed class HistoryGrainTests(AcceptAllCluster fixture)
{
    private IHistoryGrain History => fixture.Client.GetGrain<IHistoryGrain>(0);

    [Fact]
    public async Task A_booted_station_is_listed_with_what_its_boot_said()
    {
        var vendor = $"Vendor-{Guid.NewGuid():N}";
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V16);
        await station.CallOk("BootNotification", $$"""{"chargePointVendor":"{{vendor}}","chargePointModel":"M1","chargePointSerialNumber":"SN-1","firmwareVersion":"2.1"}""");

        var page = await Eventually.Get(async () => await History.ListStations(new StationQuery(Vendor: vendor.ToUpperInvariant())), p => p.Items.Count > 0,
            "the station in the registry");

        var listed = Assert.Single(page.Items);
        Assert.Equal((station.StationId, "M1", "SN-1", "2.1", RegistrationStatus.Accepted, "1.6", true),
            (listed.StationId, listed.Model, listed.SerialNumber, listed.FirmwareVersion, listed.Registration, listed.OcppVersion, listed.Connected));
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task A_completed_transaction_is_read_back_with_its_meter_values()
    {
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V16);
        await station.BootAccepted();
        var start = await station.CallOk("StartTransaction", StartTransaction(1, Tokens.Good, 1000, 0));
        var transactionId = start.GetProperty("transactionId").GetInt32();
        await station.CallOk("MeterValues", MeterValues(1, transactionId, 10, "2.5", "kWh"));
        await station.CallOk("StopTransaction", StopTransaction(transactionId, 4000, 20));
        var id = transactionId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // meter values reach the store in the EVSE grain's next batch, shortly after
        var detail = await Eventually.Get(() => History.GetTransaction(station.StationId, id), d => d.MeterValues.Count > 0,
            "the transaction's meter values");

        Assert.Equal((station.StationId, id, 3000m), (detail.Transaction.StationId, detail.Transaction.Transaction.TransactionId, detail.Transaction.Transaction.EnergyWh));
        var value = Assert.Single(detail.MeterValues);
        Assert.Equal((1, id, 2500m), (value.EvseId, value.TransactionId, value.Sample.Value));

        var listed = await History.ListTransactions(new TransactionQuery(StationId: station.StationId));
        Assert.Equal(id, Assert.Single(listed.Items).Transaction.TransactionId);
        Assert.Null(await History.GetTransaction(station.StationId, "no-such-transaction"));
    }

    [Fact]
    public async Task A_stations_events_are_listed_newest_first_and_by_kind()
    {
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V16);
        await station.BootAccepted();

        var events = await Eventually.Get(async () => await History.ListEvents(new EventQuery(station.StationId)),
            p => p.Items.Any(e => e.Event.Kind == "Boot"), "the boot event in the store");

        Assert.Equal(events.Items.Select(e => e.Seq).OrderDescending(), events.Items.Select(e => e.Seq));
        Assert.All(events.Items, e => Assert.Equal(station.StationId, e.StationId));
        var connected = await History.ListEvents(new EventQuery(station.StationId, Kind: "Connected"));
        Assert.All(connected.Items, e => Assert.Equal("Connected", e.Event.Kind));
        Assert.NotEmpty(connected.Items);
    }

    [Fact]
    public async Task A_station_without_finished_commands_has_an_empty_command_history()
    {
        var page = await History.ListCommands(new CommandQuery(StationDriver.NewStationId()));

        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task A_bad_limit_or_cursor_reaches_the_caller_as_an_argument_error()
    {
        var limit = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => History.ListStations(new StationQuery(Limit: 0)));
        Assert.Contains("between 1 and 500", limit.Message);

        var cursor = await Assert.ThrowsAsync<ArgumentException>(() => History.ListTransactions(new TransactionQuery(Cursor: "garbage!")));
        Assert.Contains("NextCursor", cursor.Message);
    }
}
