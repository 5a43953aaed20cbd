using Csms.Grains.Interfaces.Transactions;

namespace Csms.Grains.Interfaces.Stations;

/// <summary>The live state of a station, as the read API shows it.</summary>
[GenerateSerializer, Immutable]
public sealed record StationSnapshot(
    [property: Id(0)] string StationId,
    [property: Id(1)] RegistrationStatus Registration,
    [property: Id(2)] BootInfo? Boot,
    [property: Id(3)] ConnectionInfo? Connection,
    [property: Id(4)] DateTimeOffset? LastHeartbeat,
    [property: Id(5)] IReadOnlyList<EvseSnapshot> Evses,
    [property: Id(6)] IReadOnlyList<TransactionSnapshot> ActiveTransactions,
    [property: Id(7)] IReadOnlyList<TransactionSnapshot> RecentTransactions,
    [property: Id(8)] IReadOnlyList<CommandStatus> Commands,
    [property: Id(9)] IReadOnlyList<StationEvent> RecentEvents,
    [property: Id(10)] string? FirmwareStatus,
    [property: Id(11)] int ReportsStored,
    [property: Id(12)] string? HostedBy = null);

[GenerateSerializer, Immutable]
public sealed record BootInfo(
    [property: Id(0)] string Vendor,
    [property: Id(1)] string Model,
    [property: Id(2)] string? SerialNumber,
    [property: Id(3)] string? FirmwareVersion,
    [property: Id(4)] string? Reason,
    [property: Id(5)] DateTimeOffset BootedAt);

[GenerateSerializer, Immutable]
public sealed record ConnectionInfo(
    [property: Id(0)] bool Connected,
    [property: Id(1)] string GatewayId,
    [property: Id(2)] long Epoch,
    [property: Id(3)] string Version,
    [property: Id(4)] DateTimeOffset Since,
    [property: Id(5)] DateTimeOffset? LastMessageAt,
    [property: Id(6)] string? RemoteAddress);

/// <summary>Something that happened at a station worth keeping: boot, security event, firmware or log status, connection change.</summary>
[GenerateSerializer, Immutable]
public sealed record StationEvent(
    [property: Id(0)] DateTimeOffset Timestamp,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Detail);
