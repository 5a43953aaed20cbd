namespace Csms.Grains.Interfaces.Stations;

/// <summary>
/// How a station may connect. <paramref name="Allowed"/> false: an unknown identity under the RejectUnknown policy
/// (the upgrade is answered 404 and nothing is stored). <paramref name="SecurityProfile"/> 0 to 3 (OCPP security
/// profiles); from 1 on, <paramref name="PasswordHash"/> is what the HTTP Basic password must match, or
/// <paramref name="PendingPasswordHash"/> while a password change has been sent and the station's answer is not known.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StationAdmission(
    [property: Id(0)] bool Allowed,
    [property: Id(1)] bool Known,
    [property: Id(2)] int SecurityProfile,
    [property: Id(3)] string? PasswordHash,
    [property: Id(4)] string? PendingPasswordHash = null);
