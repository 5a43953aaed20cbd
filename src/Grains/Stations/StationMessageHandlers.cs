using Csms.Grains.Interfaces.Connections;
using Csms.Grains.Stations.V16;
using Csms.Grains.Stations.V2;
using Csms.Ocpp;

namespace Csms.Grains.Stations;

/// <summary>Handles one station-initiated CALL inside the station grain's turn.</summary>
public delegate Task<CallReply> StationMessageHandler(IStationContext station, InboundCall call);

/// <summary>The handlers per version. An action the version defines but that is absent here is answered NotSupported.</summary>
public static class StationMessageHandlers
{
    public static bool TryGet(OcppVersion version, string action, out StationMessageHandler handler) =>
        (version == OcppVersion.V16 ? V16Handlers.All : V2Handlers.All).TryGetValue(action, out handler!);
}
