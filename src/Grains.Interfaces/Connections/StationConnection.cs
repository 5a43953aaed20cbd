using Csms.Ocpp;

namespace Csms.Grains.Interfaces.Connections;

/// <summary>What a gateway tells a station grain about a new (or re-announced) socket.</summary>
[GenerateSerializer, Immutable]
public sealed record StationConnection(
    [property: Id(0)] string GatewayId,
    [property: Id(1)] IGatewayLink Link,
    [property: Id(2)] OcppVersion Version,
    [property: Id(3)] string? RemoteAddress,
    [property: Id(4)] DateTimeOffset ConnectedAt,
    /// <summary>Security profile 3: the CN of the station's verified client certificate (its serial number), else null.</summary>
    [property: Id(5)] string? CertificateSerial = null,
    /// <summary>The station authenticated with the password of a change whose outcome was not known: it has the new one.</summary>
    [property: Id(6)] bool WithPendingPassword = false);
