namespace Csms.Grains.Interfaces.Authorization;

/// <summary>One id token (RFID uid, eMAID, key code…), keyed by its canonical value (upper-case invariant).</summary>
public interface IIdTokenGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<IdTokenDecision> Authorize();

    Task Set(IdTokenRecord record);

    /// <summary>The stored record (set through the API), or null if the token is only configured or not known.</summary>
    [ReadOnly]
    Task<IdTokenRecord?> Get();

    /// <summary>Deletes the stored record; returns false if there was none. A configured token falls back to its configuration.</summary>
    Task<bool> Remove();
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

/// <summary>A stored id token as lists show it.</summary>
[GenerateSerializer, Immutable]
public sealed record IdTokenEntry(
    [property: Id(0)] string IdToken,
    [property: Id(1)] IdTokenRecord Record,
    [property: Id(2)] DateTimeOffset UpdatedAt);

/// <summary>Stored id tokens by token, optionally of one group or status; keyset paged.</summary>
[GenerateSerializer, Immutable]
public sealed record IdTokenQuery(
    [property: Id(0)] string? GroupId = null,
    [property: Id(1)] IdTokenStatus? Status = null,
    [property: Id(2)] int Limit = 100,
    [property: Id(3)] string? Cursor = null);
