namespace Csms.Grains.Interfaces.Authorization;

/// <summary>One id token (RFID uid, eMAID, key code…), keyed by its canonical value (upper-case invariant).</summary>
public interface IIdTokenGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<IdTokenDecision> Authorize();

    Task Set(IdTokenRecord record);
}

public enum IdTokenStatus
{
    Accepted,
    Blocked,
    Expired,
    Invalid,
    /// <summary>2.0.1: the token is not known at all.</summary>
    Unknown,
}

[GenerateSerializer, Immutable]
public sealed record IdTokenRecord(
    [property: Id(0)] IdTokenStatus Status,
    [property: Id(1)] DateTimeOffset? ExpiresAt,
    [property: Id(2)] string? GroupId);

[GenerateSerializer, Immutable]
public sealed record IdTokenDecision(
    [property: Id(0)] IdTokenStatus Status,
    [property: Id(1)] DateTimeOffset? ExpiresAt,
    [property: Id(2)] string? GroupId);
