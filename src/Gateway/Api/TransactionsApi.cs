using Csms.Grains.Interfaces.History;
using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Interfaces.Transactions;

namespace Csms.Gateway.Api;

/// <summary>Transactions: completed ones from the ledger, one with its meter values, active ones live from the grains.</summary>
public static class TransactionsApi
{
    /// <summary>One transaction: live (active) from the station's EVSE, or completed from the ledger with its stored meter values.</summary>
    public sealed record TransactionView(string StationId, bool Active, TransactionSnapshot Transaction, DateTimeOffset? RecordedAt,
        IReadOnlyList<StoredMeterValue> MeterValues, IReadOnlyList<StationEvent> Events);

    public static RouteGroupBuilder MapTransactionsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/transactions", List)
            .WithTags("Transactions")
            .WithName("ListTransactions")
            .WithSummary("Completed transactions from the ledger, newest first, by station, id token and time range")
            .WithDescription("from/to (ISO 8601) select transactions that started in [from, to) (ended, if the start was never received). " +
                "limit 1..500 (default 100); pass nextCursor back as cursor for the next page. Active transactions: GET /stations/{id}/transactions/active.")
            .Produces<Page<LedgerTransaction>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/stations/{stationId}/transactions/{transactionId}", Get)
            .WithTags("Transactions")
            .WithName("GetTransaction")
            .WithSummary("One transaction with its meter values: live if active, else from the ledger")
            .Produces<TransactionView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> List(string? station, string? idToken, DateTimeOffset? from, DateTimeOffset? to, int? limit,
        string? cursor, IGrainFactory grains)
    {
        string? canonical = null;
        if (station is not null && !StationIdentity.TryCanonicalize(station, out canonical, out var problem))
        {
            return ApiProblems.BadRequest(problem);
        }
        if (from is { } f && to is { } t && t <= f)
        {
            return ApiProblems.BadRequest("to must be later than from");
        }
        return await Paging.Run(async () => TypedResults.Ok(await grains.GetGrain<IHistoryGrain>(0)
            .ListTransactions(new TransactionQuery(canonical, idToken, from, to, limit ?? 100, cursor))));
    }

    private static async Task<IResult> Get(string stationId, string transactionId, IGrainFactory grains)
    {
        if (!StationIdentity.TryCanonicalize(stationId, out var canonical, out var problem))
        {
            return ApiProblems.BadRequest(problem);
        }
        var history = grains.GetGrain<IHistoryGrain>(0);
        var snapshot = await grains.GetGrain<IChargingStationGrain>(canonical).GetSnapshot();
        if (snapshot.ActiveTransactions.FirstOrDefault(t => t.TransactionId == transactionId) is { } active)
        {
            var sofar = await history.GetTransactionMeterValues(canonical, transactionId);
            return TypedResults.Ok(new TransactionView(canonical, true, active, null, sofar, await Events(history, canonical, transactionId)));
        }
        return await history.GetTransaction(canonical, transactionId) is { } detail
            ? TypedResults.Ok(new TransactionView(canonical, false, detail.Transaction.Transaction, detail.Transaction.RecordedAt, detail.MeterValues,
                await Events(history, canonical, transactionId)))
            : ApiProblems.NotFound($"station '{canonical}' has no transaction '{transactionId}' (neither active nor in the ledger)");
    }

    /// <summary>The transaction's notable moments (start, state changes, end), oldest first; recent events may still be on their way to the store.</summary>
    private static async Task<IReadOnlyList<StationEvent>> Events(IHistoryGrain history, string stationId, string transactionId)
    {
        var page = await history.ListEvents(new EventQuery(stationId, "Transaction", Limit: 500, DetailPrefix: transactionId + ":"));
        return page.Items.Select(e => e.Event).Reverse().ToArray();
    }
}
