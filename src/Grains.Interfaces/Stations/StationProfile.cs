namespace Csms.Grains.Interfaces.Stations;

/// <summary>
/// What an operator registered about a station: where it is, its OCPP security profile and its Basic-auth
/// credentials (a salted hash, never the password). A registered station counts as known to the registration policy.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StationProfile(
    [property: Id(0)] string? Site = null,
    [property: Id(1)] string? Description = null,
    /// <summary>OCPP security profile 0 (none) to 3 (mutual TLS).</summary>
    [property: Id(2)] int SecurityProfile = 0,
    [property: Id(3)] string? PasswordHash = null,
    [property: Id(4)] bool Registered = false,
    [property: Id(5)] DateTimeOffset? RegisteredAt = null);
