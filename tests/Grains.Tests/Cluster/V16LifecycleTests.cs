using System.Text.Json;
using Csms.Ocpp;
using static Csms.Grains.Tests.Cluster.Times;

namespace Csms.Grains.Tests.Cluster;

[Collection(AcceptAllCollection.Name)]
public class V16LifecycleTests(AcceptAllCluster fixture)
{
    internal static string StartTransaction(int connectorId, string idTag, int meterStart, int minutes) =>
        $$"""{"connectorId":{{connectorId}},"idTag":"{{idTag}}","meterStart":{{meterStart}},"timestamp":"{{At(minutes)}}"}""";

    internal static string StopTransaction(int transactionId, int meterStop, int minutes, string? transactionData = null) =>
        $$"""{"transactionId":{{transactionId}},"idTag":"{{Tokens.Good}}","meterStop":{{meterStop}},"timestamp":"{{At(minutes)}}","reason":"Local"{{(transactionData is null ? "" : $",\"transactionData\":{transactionData}")}}}""";

    internal static string MeterValues(int connectorId, int transactionId, int minutes, string value, string unit) =>
        $$"""{"connectorId":{{connectorId}},"transactionId":{{transactionId}},"meterValue":[{"timestamp":"{{At(minutes)}}","sampledValue":[{"value":"{{value}}","unit":"{{unit}}","measurand":"Energy.Active.Import.Register","context":"Sample.Periodic"}]}]}""";

    [Fact]
    public async Task A_whole_1_6_charging_session_ends_as_a_completed_transaction_with_its_energy()
    {
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V16);
        await station.BootAccepted();
        await station.CallOk("StatusNotification", """{"connectorId":1,"errorCode":"NoError","status":"Preparing"}""");

        var authorize = await station.CallOk("Authorize", $$"""{"idTag":"{{Tokens.Good}}"}""");
        Assert.Equal("Accepted", authorize.GetProperty("idTagInfo").GetProperty("status").GetString());

        var start = await station.CallOk("StartTransaction", StartTransaction(1, Tokens.Good, 1000, 0));
        Assert.Equal(JsonValueKind.Number, start.GetProperty("transactionId").ValueKind);
        var transactionId = start.GetProperty("transactionId").GetInt32();
        Assert.Equal("Accepted", start.GetProperty("idTagInfo").GetProperty("status").GetString());

        await station.CallOk("MeterValues", MeterValues(1, transactionId, 10, "2.5", "kWh"));
        var running = await station.Grain.GetSnapshot();
        var active = Assert.Single(running.ActiveTransactions);
        Assert.Equal(transactionId.ToString(System.Globalization.CultureInfo.InvariantCulture), active.TransactionId);
        Assert.Equal(1500m, active.EnergyWh);

        var transactionData = $$"""[{"timestamp":"{{At(20)}}","sampledValue":[{"value":"4000","unit":"Wh","measurand":"Energy.Active.Import.Register","context":"Transaction.End"}]}]""";
        var stop = await station.CallOk("StopTransaction", StopTransaction(transactionId, 4000, 20, transactionData));
        Assert.Equal("Accepted", stop.GetProperty("idTagInfo").GetProperty("status").GetString());

        var snapshot = await station.Grain.GetSnapshot();
        Assert.Empty(snapshot.ActiveTransactions);
        var completed = Assert.Single(snapshot.RecentTransactions);
        Assert.Equal(active.TransactionId, completed.TransactionId);
        Assert.False(completed.Active);
        Assert.Equal(1, completed.EvseId);
        Assert.Equal(1000m, completed.MeterStartWh);
        Assert.Equal(4000m, completed.MeterLastWh);
        Assert.Equal(3000m, completed.EnergyWh);
        Assert.Equal(Tokens.Good, completed.IdToken);
        Assert.Equal("Local", completed.StoppedReason);
        Assert.Equal(T0, completed.StartedAt);
        Assert.Equal(T0.AddMinutes(20), completed.EndedAt);
        Assert.Empty(completed.Flags);
        var connector = Assert.Single(Assert.Single(snapshot.Evses).Connectors);
        Assert.Equal("Preparing", connector.Status);

        var ledger = await fixture.Ledger.ListAsync(station.StationId, 10);
        Assert.Equal(3000m, Assert.Single(ledger).EnergyWh);
    }

    [Fact]
    public async Task Transaction_ids_of_two_stations_differ()
    {
        var first = await StationDriver.Connect(fixture.Client, OcppVersion.V16);
        var second = await StationDriver.Connect(fixture.Client, OcppVersion.V16);
        await first.BootAccepted();
        await second.BootAccepted();

        var a = await first.CallOk("StartTransaction", StartTransaction(1, Tokens.Good, 0, 0));
        var b = await second.CallOk("StartTransaction", StartTransaction(1, Tokens.Good, 0, 0));

        Assert.NotEqual(a.GetProperty("transactionId").GetInt32(), b.GetProperty("transactionId").GetInt32());
    }

    [Fact]
    public async Task Meter_stop_below_meter_start_completes_the_transaction_flagged_NegativeEnergy()
    {
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V16);
        await station.BootAccepted();
        var id = (await station.CallOk("StartTransaction", StartTransaction(1, Tokens.Good, 5000, 0))).GetProperty("transactionId").GetInt32();

        await station.CallOk("StopTransaction", StopTransaction(id, 4000, 10));

        var completed = Assert.Single((await station.Grain.GetSnapshot()).RecentTransactions);
        Assert.Equal(-1000m, completed.EnergyWh);
        Assert.Contains("NegativeEnergy", completed.Flags);
    }

    [Fact]
    public async Task A_stop_stamped_days_in_the_future_is_answered_and_recorded_flagged_for_a_look()
    {
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V16);
        await station.BootAccepted();
        var id = (await station.CallOk("StartTransaction", StartTransaction(1, Tokens.Good, 1000, 0))).GetProperty("transactionId").GetInt32();

        // two days after "now" (T0 is a day ago)
        await station.CallOk("StopTransaction", StopTransaction(id, 1500, 3 * 24 * 60));

        var completed = Assert.Single((await station.Grain.GetSnapshot()).RecentTransactions);
        Assert.Equal(500m, completed.EnergyWh);
        Assert.Contains("FutureTimestamp", completed.Flags);
    }

    [Fact]
    public async Task DataTransfer_from_an_unknown_vendor_is_answered_UnknownVendorId()
    {
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V16);
        await station.BootAccepted();

        var unknown = await station.CallOk("DataTransfer", """{"vendorId":"com.example.unknown","messageId":"x"}""");
        var known = await station.CallOk("DataTransfer", """{"vendorId":"com.example.known","messageId":"x"}""");

        Assert.Equal("UnknownVendorId", unknown.GetProperty("status").GetString());
        Assert.Equal("Accepted", known.GetProperty("status").GetString());
    }
}
