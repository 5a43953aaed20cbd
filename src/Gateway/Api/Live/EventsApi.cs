using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Csms.Grains.Interfaces.History;
using Csms.Grains.Interfaces.Live;
using Csms.Grains.Interfaces.Stations;

namespace Csms.Gateway.Api.Live;

/// <summary>A station's stored events (paged) and the live event stream (server-sent events).</summary>
public static class EventsApi
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    /// <summary>A live event as the stream sends it; <c>data</c> is JSON (the station's message and our answer, a command's outcome…).</summary>
    public sealed record LiveEventView(DateTimeOffset Timestamp, string? StationId, string? Site, string Kind, string Detail, JsonElement? Data);

    public sealed record EventView(long Seq, DateTimeOffset Timestamp, string Kind, string Detail);

    public sealed record EventPage(IReadOnlyList<EventView> Items, string? NextCursor);

    public static RouteGroupBuilder MapEventsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/events/stream", Stream)
            .WithTags("Events")
            .WithName("StreamEvents")
            .WithSummary("Live events as server-sent events, optionally for one station, one site or some kinds")
            .WithDescription("Kinds: Connected, Disconnected, Booted, StatusChanged, TransactionStarted, TransactionUpdated, TransactionEnded, " +
                "MeterValues, CommandFinished, Registration, Removed, FirmwareStatusNotification, SecurityEventNotification, NotifyEvent. " +
                "A 'ready' event is sent once the stream is subscribed; a 'keepalive' every 15 s. A client that reads too slowly misses " +
                "events (each event's 'dropped' count says how many so far); the history endpoints have everything.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        api.MapGet("/stations/{stationId}/events", List)
            .WithTags("Events")
            .WithName("ListStationEvents")
            .WithSummary("A station's stored events, newest first, paged")
            .Produces<EventPage>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    private static async Task<IResult> List(string stationId, string? kind, DateTimeOffset? from, DateTimeOffset? to, int? limit, string? cursor,
        IGrainFactory grains)
    {
        if (!StationIdentity.TryCanonicalize(stationId, out var canonical, out var problem))
        {
            return ApiProblems.BadRequest(problem);
        }
        return await Paging.Run(async () =>
        {
            var page = await grains.GetGrain<IHistoryGrain>(0).ListEvents(new EventQuery(canonical, kind, from, to, limit ?? 100, cursor));
            return TypedResults.Ok(new EventPage(page.Items.Select(e => new EventView(e.Seq, e.Event.Timestamp, e.Event.Kind, e.Event.Detail)).ToArray(),
                page.NextCursor));
        });
    }

    private static IResult Stream(string? station, string? site, string? kinds, LiveEventRelay relay, HttpContext http)
    {
        string? stationFilter = null;
        if (station is not null && !StationIdentity.TryCanonicalize(station, out stationFilter, out var problem))
        {
            return ApiProblems.BadRequest(problem);
        }
        var kindSet = kinds?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        bool Filter(StationLiveEvent e) =>
            (stationFilter is null || e.StationId == stationFilter)
            && (site is null || string.Equals(e.Site, site, StringComparison.Ordinal))
            && (kindSet is null || kindSet.Contains(e.Kind));
        return TypedResults.ServerSentEvents(Items(relay, Filter, http.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<object>> Items(LiveEventRelay relay, Func<StationLiveEvent, bool> filter,
        [EnumeratorCancellation] CancellationToken aborted)
    {
        var listener = await relay.ListenAsync(filter);
        try
        {
            yield return new SseItem<object>(new { subscribed = true }, "ready");
            var reader = listener.Channel.Reader;
            while (!aborted.IsCancellationRequested)
            {
                StationLiveEvent? next = null;
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(aborted))
                {
                    wait.CancelAfter(KeepAlive);
                    try
                    {
                        next = await reader.ReadAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                    {
                        // nothing for a while: a keep-alive, so proxies and clients see the stream is alive
                    }
                    catch (OperationCanceledException)
                    {
                        yield break;
                    }
                }
                yield return next is null
                    ? new SseItem<object>(new { dropped = listener.Dropped }, "keepalive")
                    : new SseItem<object>(View(next), next.Kind);
            }
        }
        finally
        {
            relay.Stop(listener);
        }
    }

    private static LiveEventView View(StationLiveEvent e)
    {
        JsonElement? data = null;
        if (e.DataJson is { } json)
        {
            using var document = JsonDocument.Parse(json);
            data = document.RootElement.Clone();
        }
        return new LiveEventView(e.Timestamp, e.StationId, e.Site, e.Kind, e.Detail, data);
    }
}
