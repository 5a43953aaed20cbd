namespace Csms.Grains.Interfaces.Live;

/// <summary>
/// Something that just happened at a station, for the live event stream: connections, status changes, transaction
/// starts / updates / ends, command outcomes, registration changes. <see cref="DataJson"/> is the detail as JSON
/// (the station's message payload, the command, …); it is not kept: history is in the record store.
/// <see cref="StationId"/> is null for a site's own events (e.g. its allocation changed).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StationLiveEvent(
    [property: Id(0)] DateTimeOffset Timestamp,
    [property: Id(1)] string? StationId,
    [property: Id(2)] string? Site,
    [property: Id(3)] string Kind,
    [property: Id(4)] string Detail,
    [property: Id(5)] string? DataJson);

/// <summary>A gateway's receiver of live events (one per gateway process; it fans out to its SSE clients).</summary>
public interface ILiveEventObserver : IGrainObserver
{
    [OneWay]
    Task OnEvents(IReadOnlyList<StationLiveEvent> events);
}

/// <summary>
/// One shard of the live event fan-out, keyed 0..<see cref="Shards"/>-1; a station publishes to the shard of its id.
/// Subscriptions expire unless renewed, so a gateway that died stops being sent to.
/// </summary>
public interface ILiveEventHubGrain : IGrainWithIntegerKey
{
    public const int Shards = 4;

    /// <summary>Subscribes or renews; returns the number of subscribers.</summary>
    Task<int> Subscribe(ILiveEventObserver observer);

    Task Unsubscribe(ILiveEventObserver observer);

    /// <summary>A silo's batch of events for this shard.</summary>
    [OneWay]
    Task Publish(IReadOnlyList<StationLiveEvent> events);

    /// <summary>How many gateways are subscribed: silos ask, so nothing is sent while nobody listens.</summary>
    [ReadOnly]
    Task<int> SubscriberCount();

    public static int ShardOf(string stationId) => (int)((uint)StableHash(stationId) % Shards);

    private static int StableHash(string text)
    {
        // string.GetHashCode is randomised per process; every silo must pick the same shard
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }
        return hash;
    }
}
