using Csms.Ocpp;

namespace Csms.Grains.Tests.Cluster;

[Collection(AcceptAllCollection.Name)]
public class ConnectionTests(AcceptAllCluster fixture)
{
    [Theory]
    [InlineData(OcppVersion.V16)]
    [InlineData(OcppVersion.V201)]
    public async Task A_call_over_a_replaced_connection_is_superseded_and_the_old_socket_is_closed(OcppVersion version)
    {
        var station = await StationDriver.Connect(fixture.Client, version);
        await station.BootAccepted();
        var oldLink = station.Link;
        var oldEpoch = station.Epoch;

        await station.Reconnect();
        var stale = await station.Call("Heartbeat", "{}", epoch: oldEpoch);

        Assert.True(station.Epoch > oldEpoch);
        Assert.True(stale.Superseded);
        Assert.True(stale.IsError);
        var closed = await Eventually.Get(() => oldLink.Closed.FirstOrDefault(), _ => true, "the old link to receive Close");
        Assert.Equal(station.StationId, closed.StationId);
        Assert.Equal(oldEpoch, closed.Epoch);
        Assert.Empty(station.Link.Closed);
        // the new connection carries on, still accepted
        await station.CallOk("Heartbeat", "{}");
    }

    [Fact]
    public async Task Disconnect_with_a_stale_epoch_does_not_disconnect_the_current_connection()
    {
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V16);
        var oldEpoch = station.Epoch;
        await station.Reconnect();

        await station.Grain.Disconnect(oldEpoch, "old socket closed");

        Assert.True((await station.Grain.GetSnapshot()).Connection?.Connected);
        await station.Grain.Disconnect(station.Epoch, "socket closed");
        Assert.False((await station.Grain.GetSnapshot()).Connection?.Connected);
    }
}
