using Csms.Ocpp;
using Csms.Ocpp.Framing;

namespace Csms.Grains.Tests.Cluster;

[Collection(AcceptAllCollection.Name)]
public class DispatchTests(AcceptAllCluster fixture)
{
    [Theory]
    [InlineData(OcppVersion.V16, "GetCertificateStatus")]
    [InlineData(OcppVersion.V201, "ReportChargingProfiles")]
    public async Task An_action_without_a_handler_is_answered_NotSupported(OcppVersion version, string action)
    {
        var station = await StationDriver.Connect(fixture.Client, version);
        await station.BootAccepted();

        var reply = await station.Call(action, "{}");

        Assert.Equal(OcppErrorCode.NotSupported, reply.ErrorCode);
    }

    [Fact]
    public async Task A_value_beyond_its_data_type_is_answered_TypeConstraintViolation()
    {
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V16);
        await station.BootAccepted();

        var reply = await station.Call("StartTransaction",
            """{"connectorId":1,"idTag":"04A1B2C3","meterStart":99999999999,"timestamp":"2025-03-01T10:00:00Z"}""");

        Assert.Equal(OcppErrorCode.TypeConstraintViolation, reply.ErrorCode);
        Assert.Empty((await station.Grain.GetSnapshot()).ActiveTransactions);
    }

    [Fact]
    public async Task An_offline_Ended_arriving_before_its_Started_gives_one_correct_transaction()
    {
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V201);
        await station.BootAccepted();
        var tx = Guid.NewGuid().ToString();

        await station.CallOk("TransactionEvent", V201LifecycleTests.TransactionEvent("Ended", 1, tx, 20, "Idle", withEvse: true,
            meterValue: V201LifecycleTests.Energy(20, "4000", "Transaction.End"), offline: true, stoppedReason: "Local"));
        await station.CallOk("TransactionEvent", V201LifecycleTests.TransactionEvent("Started", 0, tx, 0, "Charging", withEvse: true,
            meterValue: V201LifecycleTests.Energy(0, "1000", "Transaction.Begin"), offline: true));

        var snapshot = await station.Grain.GetSnapshot();
        Assert.Empty(snapshot.ActiveTransactions);
        var completed = Assert.Single(snapshot.RecentTransactions);
        Assert.Equal(3000m, completed.EnergyWh);
        Assert.Equal(Times.T0, completed.StartedAt);
        Assert.Equal(2, completed.OfflineEvents);
        Assert.Empty(completed.Flags);
    }
}
