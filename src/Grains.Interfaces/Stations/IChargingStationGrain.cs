using Csms.Grains.Interfaces.Connections;

namespace Csms.Grains.Interfaces.Stations;

/// <summary>One charging station, keyed by its canonical identity (see <see cref="StationIdentity"/>).</summary>
public interface IChargingStationGrain : IGrainWithStringKey
{
    /// <summary>A new socket: bumps the epoch, tells the previous link to close the old socket.</summary>
    Task<ConnectResult> Connect(StationConnection connection);

    /// <summary>
    /// The gateway has registered the socket of <paramref name="epoch"/> and can deliver frames to it: queued commands
    /// go out from now on (not during Connect, when the gateway does not know the socket's epoch yet).
    /// </summary>
    Task Attached(long epoch);

    /// <summary>A gateway re-announcing a live socket (after a silo failover); false if the epoch is stale.</summary>
    Task<bool> Reannounce(long epoch, StationConnection connection);

    Task Disconnect(long epoch, string reason);

    Task<CallReply> HandleCall(long epoch, InboundCall call);

    /// <summary>The station's CALLRESULT to a CSMS-initiated call.</summary>
    Task HandleCallResult(long epoch, string messageId, string payloadJson);

    /// <summary>The station's CALLERROR to a CSMS-initiated call.</summary>
    Task HandleCallError(long epoch, string messageId, string errorCode, string description);

    /// <summary>Queues a CSMS-initiated call in the station's outbox; it is sent when the station is connected and idle.</summary>
    Task<CommandStatus> SendCommand(CommandRequest request);

    [ReadOnly]
    Task<CommandStatus?> GetCommand(string commandId);

    /// <summary>Cancels a queued command; a command already sent or finished is returned unchanged. Null if unknown.</summary>
    Task<CommandCancellation?> CancelCommand(string commandId);

    [ReadOnly]
    Task<StationProfile> GetProfile();

    /// <summary>
    /// What a gateway needs to decide a WebSocket upgrade for this identity, before anything is created: whether the
    /// station is known (and if not, whether the registration policy lets unknown stations in), its security profile
    /// and its password hash.
    /// </summary>
    [ReadOnly]
    Task<StationAdmission> GetAdmission();

    /// <summary>The configuration / device model as the station last reported it, by name.</summary>
    [ReadOnly]
    Task<IReadOnlyList<ConfigurationValue>> GetConfiguration();

    /// <summary>Registers the station (or updates its registration): site, description, security profile, credentials.</summary>
    Task<StationProfile> SetProfile(StationProfile profile);

    /// <summary>
    /// Forgets the station: its registration, state and queued commands (history in the record store stays). A live
    /// connection is closed. Returns false if there was nothing to forget.
    /// </summary>
    Task<bool> Remove();

    /// <summary>Operator decision on registration (e.g. approving a Pending station).</summary>
    Task SetRegistration(RegistrationStatus status);

    [ReadOnly]
    Task<StationSnapshot> GetSnapshot();

    /// <summary>The connection part of the snapshot (null if the station never connected), without asking the EVSEs.</summary>
    [ReadOnly]
    Task<ConnectionInfo?> GetConnection();
}
