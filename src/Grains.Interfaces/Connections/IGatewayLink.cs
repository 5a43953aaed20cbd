namespace Csms.Grains.Interfaces.Connections;

/// <summary>
/// One observer per gateway process, through which station grains reach their sockets. Its methods only
/// enqueue onto the connection's bounded send queue and return: a grain turn never waits on a socket.
/// </summary>
public interface IGatewayLink : IGrainObserver
{
    /// <summary>Writes a CSMS-initiated frame to the station's socket if it still holds <paramref name="epoch"/>.</summary>
    [OneWay]
    Task Send(string stationId, long epoch, string frame);

    /// <summary>Closes the station's socket of <paramref name="epoch"/>: another connection took over.</summary>
    [OneWay]
    Task Close(string stationId, long epoch, string reason);
}
