using Csms.Grains.Interfaces.Stations;
using Csms.Ocpp;
using Csms.Ocpp.Framing;

namespace Csms.Grains.Tests.Cluster;

[Collection(AcceptAllCollection.Name)]
public class AcceptAllRegistrationTests(AcceptAllCluster fixture)
{
    [Theory]
    [InlineData(OcppVersion.V16)]
    [InlineData(OcppVersion.V201)]
    public async Task BootNotification_is_accepted_with_the_configured_heartbeat_interval(OcppVersion version)
    {
        var station = await StationDriver.Connect(fixture.Client, version);

        var response = await station.Boot();

        Assert.Equal("Accepted", response.GetProperty("status").GetString());
        Assert.Equal(AcceptAllSettings.HeartbeatInterval, response.GetProperty("interval").GetInt32());
        var snapshot = await station.Grain.GetSnapshot();
        Assert.Equal(RegistrationStatus.Accepted, snapshot.Registration);
        Assert.Equal("TestVendor", snapshot.Boot?.Vendor);
    }

    [Theory]
    [InlineData(OcppVersion.V16, "Heartbeat", "{}")]
    [InlineData(OcppVersion.V16, "StatusNotification", """{"connectorId":1,"errorCode":"NoError","status":"Available"}""")]
    [InlineData(OcppVersion.V201, "Heartbeat", "{}")]
    [InlineData(OcppVersion.V201, "StatusNotification", """{"timestamp":"2025-03-01T10:00:00Z","connectorStatus":"Available","evseId":1,"connectorId":1}""")]
    public async Task B02_FR_09_a_call_before_any_BootNotification_is_refused_with_SecurityError(OcppVersion version, string action, string payload)
    {
        var station = await StationDriver.Connect(fixture.Client, version);

        var reply = await station.Call(action, payload);

        Assert.Equal(OcppErrorCode.SecurityError, reply.ErrorCode);
    }

    [Theory]
    [InlineData(OcppVersion.V16)]
    [InlineData(OcppVersion.V201)]
    public async Task Heartbeat_after_acceptance_is_answered_and_recorded(OcppVersion version)
    {
        var station = await StationDriver.Connect(fixture.Client, version);
        await station.BootAccepted();

        var response = await station.CallOk("Heartbeat", "{}");

        Assert.True(response.TryGetProperty("currentTime", out _));
        Assert.NotNull((await station.Grain.GetSnapshot()).LastHeartbeat);
    }
}

[Collection(PendingCollection.Name)]
public class PendingRegistrationTests(PendingCluster fixture)
{
    [Theory]
    [InlineData(OcppVersion.V16)]
    [InlineData(OcppVersion.V201)]
    public async Task An_unknown_station_is_Pending_until_the_operator_accepts_it_then_the_next_boot_is_Accepted(OcppVersion version)
    {
        var station = await StationDriver.Connect(fixture.Client, version);

        var first = await station.Boot();
        Assert.Equal("Pending", first.GetProperty("status").GetString());
        Assert.Equal(45, first.GetProperty("interval").GetInt32());
        Assert.Equal(RegistrationStatus.Pending, (await station.Grain.GetSnapshot()).Registration);

        await station.Grain.SetRegistration(RegistrationStatus.Accepted);
        var second = await station.Boot();

        Assert.Equal("Accepted", second.GetProperty("status").GetString());
        Assert.Equal(RegistrationStatus.Accepted, (await station.Grain.GetSnapshot()).Registration);
        await station.CallOk("Heartbeat", "{}");
    }

    [Theory]
    [InlineData(OcppVersion.V16, "Heartbeat", "{}")]
    [InlineData(OcppVersion.V16, "StatusNotification", """{"connectorId":1,"errorCode":"NoError","status":"Available"}""")]
    [InlineData(OcppVersion.V201, "Heartbeat", "{}")]
    [InlineData(OcppVersion.V201, "StatusNotification", """{"timestamp":"2025-03-01T10:00:00Z","connectorStatus":"Available","evseId":1,"connectorId":1}""")]
    public async Task B02_FR_09_a_Pending_station_gets_SecurityError_for_calls_other_than_BootNotification(OcppVersion version, string action, string payload)
    {
        var station = await StationDriver.Connect(fixture.Client, version);
        Assert.Equal("Pending", (await station.Boot()).GetProperty("status").GetString());

        var reply = await station.Call(action, payload);

        Assert.Equal(OcppErrorCode.SecurityError, reply.ErrorCode);
        Assert.False(reply.Superseded);
    }
}

[Collection(RejectUnknownCollection.Name)]
public class RejectUnknownRegistrationTests(RejectUnknownCluster fixture)
{
    [Theory]
    [InlineData(OcppVersion.V16)]
    [InlineData(OcppVersion.V201)]
    public async Task An_unknown_station_is_Rejected(OcppVersion version)
    {
        var station = await StationDriver.Connect(fixture.Client, version);

        var response = await station.Boot();

        Assert.Equal("Rejected", response.GetProperty("status").GetString());
        Assert.Equal(RegistrationStatus.Rejected, (await station.Grain.GetSnapshot()).Registration);
    }

    [Fact]
    public async Task A_known_station_is_Accepted_whatever_the_case_of_its_identity()
    {
        // the grain key is the canonical (lower-case) identity; KnownStations is configured in mixed case
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V16, RejectUnknownSettings.KnownStation.ToLowerInvariant());

        var response = await station.Boot();

        Assert.Equal("Accepted", response.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(OcppVersion.V16, "Heartbeat", "{}")]
    [InlineData(OcppVersion.V16, "StatusNotification", """{"connectorId":1,"errorCode":"NoError","status":"Available"}""")]
    [InlineData(OcppVersion.V201, "Heartbeat", "{}")]
    [InlineData(OcppVersion.V201, "StatusNotification", """{"timestamp":"2025-03-01T10:00:00Z","connectorStatus":"Available","evseId":1,"connectorId":1}""")]
    public async Task B03_FR_07_a_Rejected_station_gets_SecurityError_for_calls_other_than_BootNotification(OcppVersion version, string action, string payload)
    {
        var station = await StationDriver.Connect(fixture.Client, version);
        Assert.Equal("Rejected", (await station.Boot()).GetProperty("status").GetString());

        var reply = await station.Call(action, payload);

        Assert.Equal(OcppErrorCode.SecurityError, reply.ErrorCode);
    }
}
