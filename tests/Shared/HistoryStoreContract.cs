using Csms.Grains.Interfaces.History;
using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Interfaces.Transactions;
using Csms.Grains.Ledger;
using Csms.Grains.Records;

namespace Csms.Tests.Shared;

/// <summary>
/// What the history queries promise, whichever store answers them: the in-memory one (Grains.Tests) and PostgreSQL
/// (Silo.Tests) run these same tests. Each test gets empty stores.
/// </summary>
public abstract class HistoryStoreContract
{
    protected static readonly DateTimeOffset T0 = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);

    protected abstract Task<IStationRecordStore> NewStoreAsync();

    protected abstract Task<ITransactionLedger> NewLedgerAsync();

    [Fact]
    public async Task Stations_are_filtered_by_site_connection_registration_and_version_and_vendor_and_model_ignoring_case()
    {
        var store = await NewStoreAsync();
        await store.UpsertStationAsync(Station("cp-a", "Acme", "One", connected: true, site: "depot-1"));
        await store.UpsertStationAsync(Station("cp-b", "Acme", "Two", connected: false, site: "depot-1"));
        await store.UpsertStationAsync(Station("cp-c", "Other", "One", connected: true, site: "depot-2", version: "2.0.1"));
        await store.UpsertStationAsync(Station("cp-d", "Acme", "One", connected: true, registration: RegistrationStatus.Pending));

        Assert.Equal(["cp-a", "cp-b", "cp-c", "cp-d"], await Ids(store, new StationQuery()));
        Assert.Equal(["cp-a", "cp-b"], await Ids(store, new StationQuery(Site: "depot-1")));
        Assert.Equal(["cp-b"], await Ids(store, new StationQuery(Connected: false)));
        Assert.Equal(["cp-d"], await Ids(store, new StationQuery(Registration: RegistrationStatus.Pending)));
        Assert.Equal(["cp-c"], await Ids(store, new StationQuery(OcppVersion: "2.0.1")));
        Assert.Equal(["cp-a", "cp-b", "cp-d"], await Ids(store, new StationQuery(Vendor: "ACME")));
        Assert.Equal(["cp-a", "cp-d"], await Ids(store, new StationQuery(Vendor: "acme", Model: "one")));
        Assert.Equal(["cp-a"], await Ids(store, new StationQuery(Site: "depot-1", Connected: true, Vendor: "Acme", Model: "ONE")));
        Assert.Empty(await Ids(store, new StationQuery(Vendor: "Acm")));
    }

    [Fact]
    public async Task The_registry_keeps_site_and_description_and_a_later_upsert_replaces_them()
    {
        var store = await NewStoreAsync();
        await store.UpsertStationAsync(Station("cp-1", "Acme", "One", connected: true, site: "depot-1", description: "bay 3, left"));

        var listed = Assert.Single((await store.ListStationsAsync(new StationQuery())).Items);
        Assert.Equal(
            new StationSummary("cp-1", "depot-1", "bay 3, left", "Acme", "One", "SN-cp-1", "1.0", RegistrationStatus.Accepted, "1.6", true, "g1", T0),
            listed);

        await store.UpsertStationAsync(Station("cp-1", "Acme", "One", connected: true, site: "depot-2", seen: T0.AddMinutes(1)));

        var moved = Assert.Single((await store.ListStationsAsync(new StationQuery(Site: "depot-2"))).Items);
        Assert.Null(moved.Description);
        Assert.Empty((await store.ListStationsAsync(new StationQuery(Site: "depot-1"))).Items);
    }

    [Fact]
    public async Task A_removed_station_leaves_the_list()
    {
        var store = await NewStoreAsync();
        await store.UpsertStationAsync(Station("cp-1", "Acme", "One", connected: true));
        await store.UpsertStationAsync(Station("cp-2", "Acme", "One", connected: true));

        await store.RemoveStationAsync("cp-1");

        Assert.Equal(["cp-2"], await Ids(store, new StationQuery()));
    }

    [Fact]
    public async Task Station_pages_follow_the_id_order_without_repeats_or_gaps_while_stations_are_added()
    {
        var store = await NewStoreAsync();
        foreach (var n in Enumerable.Range(1, 20))
        {
            await store.UpsertStationAsync(Station($"st-{2 * n:00}", "Acme", "One", connected: true));
        }

        var seen = new List<string>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await store.ListStationsAsync(new StationQuery(Limit: 7, Cursor: cursor));
            Assert.True(page.Items.Count <= 7);
            seen.AddRange(page.Items.Select(s => s.StationId));
            cursor = page.NextCursor;
            if (++pages == 1)
            {
                // one behind the position reached, one ahead of it: only the one ahead can still be listed
                await store.UpsertStationAsync(Station("st-01", "Acme", "One", connected: true));
                await store.UpsertStationAsync(Station("st-15", "Acme", "One", connected: true));
            }
        }
        while (cursor is not null);

        var expected = Enumerable.Range(1, 20).Select(n => $"st-{2 * n:00}").Append("st-15").Order(StringComparer.Ordinal);
        Assert.Equal(expected, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task The_last_full_page_has_no_cursor_when_nothing_follows()
    {
        var store = await NewStoreAsync();
        foreach (var id in new[] { "cp-1", "cp-2", "cp-3", "cp-4" })
        {
            await store.UpsertStationAsync(Station(id, "Acme", "One", connected: true));
        }

        var first = await store.ListStationsAsync(new StationQuery(Limit: 2));
        var second = await store.ListStationsAsync(new StationQuery(Limit: 2, Cursor: first.NextCursor));

        Assert.NotNull(first.NextCursor);
        Assert.Equal(["cp-3", "cp-4"], second.Items.Select(s => s.StationId));
        Assert.Null(second.NextCursor);
    }

    [Fact]
    public async Task Events_come_newest_first_and_filter_by_kind_and_time()
    {
        var store = await NewStoreAsync();
        await store.AppendEventsAsync("cp-1",
        [
            Event(1, "Connected", 0), Event(2, "Boot", 1), Event(3, "SecurityEvent", 2), Event(4, "Disconnected", 3),
            Event(5, "Connected", 4), Event(6, "Boot", 5),
        ]);
        await store.AppendEventsAsync("cp-2", [Event(1, "Connected", 0)]);

        Assert.Equal([6L, 5, 4, 3, 2, 1], await Seqs(store, new EventQuery("cp-1")));
        Assert.Equal([5L, 1], await Seqs(store, new EventQuery("cp-1", Kind: "Connected")));
        Assert.Equal([4L, 3, 2], await Seqs(store, new EventQuery("cp-1", From: T0.AddMinutes(1), To: T0.AddMinutes(4))));
        Assert.Equal([2L], await Seqs(store, new EventQuery("cp-1", Kind: "Boot", To: T0.AddMinutes(5))));
        Assert.Empty(await Seqs(store, new EventQuery("cp-unknown")));

        var newest = (await store.ListEventsAsync(new EventQuery("cp-1", Limit: 1))).Items[0];
        Assert.Equal(new StoredStationEvent("cp-1", 6, new StationEvent(T0.AddMinutes(5), "Boot", "detail 6")), newest);
    }

    [Fact]
    public async Task Event_pages_continue_below_the_cursor_while_newer_events_arrive()
    {
        var store = await NewStoreAsync();
        await store.AppendEventsAsync("cp-1", [.. Enumerable.Range(1, 25).Select(n => Event(n, "Boot", n))]);

        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await store.ListEventsAsync(new EventQuery("cp-1", Limit: 10, Cursor: cursor));
            seen.AddRange(page.Items.Select(e => e.Seq));
            cursor = page.NextCursor;
            if (++pages == 1)
            {
                await store.AppendEventsAsync("cp-1", [.. Enumerable.Range(26, 5).Select(n => Event(n, "Boot", n))]);
            }
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Range(1, 25).Reverse().Select(n => (long)n), seen);
        Assert.Equal(30L, (await store.ListEventsAsync(new EventQuery("cp-1", Limit: 1))).Items[0].Seq);
    }

    [Fact]
    public async Task Commands_are_stored_once_per_sequence_number_with_every_field()
    {
        var store = await NewStoreAsync();
        StoredCommand[] batch =
        [
            new("cp-1", 1, Command("c-1", "Reset", CommandState.Accepted, 0, response: """{"status":"Accepted"}""")),
            new("cp-1", 2, Command("c-2", "UnlockConnector", CommandState.CallError, 1, error: ("NotSupported", "no such connector"))),
            new("cp-1", 3, Command("c-3", "Reset", CommandState.TimedOut, 2, sent: false)),
        ];

        await store.AppendCommandsAsync("cp-1", batch);
        await store.AppendCommandsAsync("cp-1", batch);
        // a re-sent seq is left as first stored, even with other content
        await store.AppendCommandsAsync("cp-1", [new("cp-1", 1, Command("c-9", "Reset", CommandState.Rejected, 9))]);

        var page = await store.ListCommandsAsync(new CommandQuery("cp-1"));
        Assert.Equal(batch.AsEnumerable().Reverse(), page.Items);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task Commands_come_newest_first_filtered_by_action_and_in_pages()
    {
        var store = await NewStoreAsync();
        await store.AppendCommandsAsync("cp-1",
            [.. Enumerable.Range(1, 12).Select(n => new StoredCommand("cp-1", n, Command($"c-{n}", n % 3 == 0 ? "Reset" : "TriggerMessage", CommandState.Accepted, n)))]);
        await store.AppendCommandsAsync("cp-2", [new("cp-2", 1, Command("x", "Reset", CommandState.Accepted, 0))]);

        var first = await store.ListCommandsAsync(new CommandQuery("cp-1", Limit: 5));
        var second = await store.ListCommandsAsync(new CommandQuery("cp-1", Limit: 5, Cursor: first.NextCursor));
        var resets = await store.ListCommandsAsync(new CommandQuery("cp-1", Action: "Reset"));

        Assert.Equal([12L, 11, 10, 9, 8], first.Items.Select(c => c.Seq));
        Assert.Equal([7L, 6, 5, 4, 3], second.Items.Select(c => c.Seq));
        Assert.Equal([12L, 9, 6, 3], resets.Items.Select(c => c.Seq));
        Assert.All(resets.Items, c => Assert.Equal("cp-1", c.StationId));
    }

    [Fact]
    public async Task A_transactions_meter_values_come_oldest_first_across_evses()
    {
        var store = await NewStoreAsync();
        await store.AppendMeterValuesAsync("cp-1", 1,
        [
            new(1, "tx-1", Sample(2, 200m)),
            new(2, "tx-2", Sample(2, 999m)),
            new(3, null, Sample(3, 999m)),
            new(4, "tx-1", Sample(0, 100m)),
        ]);
        await store.AppendMeterValuesAsync("cp-1", 2, [new(1, "tx-1", Sample(1, 150m))]);
        await store.AppendMeterValuesAsync("cp-2", 1, [new(1, "tx-1", Sample(1, 999m))]);

        var values = await store.ListTransactionMeterValuesAsync("cp-1", "tx-1");

        StoredMeterValue[] expected = [new(1, 4, "tx-1", Sample(0, 100m)), new(2, 1, "tx-1", Sample(1, 150m)), new(1, 1, "tx-1", Sample(2, 200m))];
        Assert.Equal(expected, values);
        Assert.Empty(await store.ListTransactionMeterValuesAsync("cp-1", "tx-unknown"));
    }

    [Fact]
    public async Task Transactions_come_newest_first_by_their_start_or_else_their_end()
    {
        var ledger = await NewLedgerAsync();
        await ledger.RecordCompletedAsync("cp-1", Transaction("a", started: 10, ended: 100));
        await ledger.RecordCompletedAsync("cp-1", Transaction("b", started: null, ended: 30));
        await ledger.RecordCompletedAsync("cp-2", Transaction("c", started: 20, ended: 25));

        var page = await ledger.QueryAsync(new TransactionQuery());

        Assert.Equal(["b", "c", "a"], page.Items.Select(t => t.Transaction.TransactionId));
        Assert.Equal(["cp-1", "cp-2", "cp-1"], page.Items.Select(t => t.StationId));
    }

    [Fact]
    public async Task Transactions_filter_by_station_and_id_token_and_a_half_open_time_range()
    {
        var ledger = await NewLedgerAsync();
        await ledger.RecordCompletedAsync("cp-1", Transaction("1", started: 0, ended: 5, token: "TAG-A"));
        await ledger.RecordCompletedAsync("cp-1", Transaction("2", started: 10, ended: 15, token: "TAG-B"));
        await ledger.RecordCompletedAsync("cp-2", Transaction("3", started: 20, ended: 25, token: "TAG-A"));
        await ledger.RecordCompletedAsync("cp-2", Transaction("4", started: null, ended: 30, token: null));

        Assert.Equal(["2", "1"], await TransactionIds(ledger, new TransactionQuery(StationId: "cp-1")));
        Assert.Equal(["3", "1"], await TransactionIds(ledger, new TransactionQuery(IdToken: "TAG-A")));
        Assert.Equal(["3"], await TransactionIds(ledger, new TransactionQuery(StationId: "cp-2", IdToken: "TAG-A")));
        Assert.Equal(["3", "2"], await TransactionIds(ledger, new TransactionQuery(From: T0.AddMinutes(10), To: T0.AddMinutes(30))));
        Assert.Equal(["4"], await TransactionIds(ledger, new TransactionQuery(From: T0.AddMinutes(30))));
        Assert.Equal(["1"], await TransactionIds(ledger, new TransactionQuery(To: T0.AddMinutes(10))));
    }

    [Fact]
    public async Task Transaction_pages_have_no_repeats_or_gaps_while_rows_are_added()
    {
        var ledger = await NewLedgerAsync();
        // three stations start at the same minutes, so the order within a minute rests on station and transaction id
        foreach (var minute in Enumerable.Range(0, 10))
        {
            foreach (var station in new[] { "cp-1", "cp-2", "cp-3" })
            {
                await ledger.RecordCompletedAsync(station, Transaction($"t{minute}", started: minute, ended: minute + 60));
            }
        }

        var all = await Walk(ledger, new TransactionQuery(Limit: 4), afterFirstPage: async () =>
        {
            await ledger.RecordCompletedAsync("cp-0", Transaction("new-late", started: 50, ended: 70));
            await ledger.RecordCompletedAsync("cp-0", Transaction("new-early", started: 3, ended: 70));
        });
        var expected = Enumerable.Range(0, 10).Reverse().SelectMany(minute => minute == 3
            ? new[] { ("cp-3", "t3"), ("cp-2", "t3"), ("cp-1", "t3"), ("cp-0", "new-early") }
            : [("cp-3", $"t{minute}"), ("cp-2", $"t{minute}"), ("cp-1", $"t{minute}")]);
        Assert.Equal(expected, all);

        var oneStation = await Walk(ledger, new TransactionQuery(StationId: "cp-2", Limit: 3), afterFirstPage: () =>
            ledger.RecordCompletedAsync("cp-2", Transaction("t-1", started: -1, ended: 1)));
        Assert.Equal(Enumerable.Range(-1, 11).Reverse().Select(minute => ("cp-2", minute < 0 ? "t-1" : $"t{minute}")), oneStation);
    }

    [Fact]
    public async Task One_transaction_is_read_back_with_its_station_and_the_time_it_was_recorded()
    {
        var ledger = await NewLedgerAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        await ledger.RecordCompletedAsync("cp-1", Transaction("42", started: 0, ended: 20, token: "TAG-A"));

        var row = await ledger.GetAsync("cp-1", "42");

        Assert.NotNull(row);
        Assert.Equal(("cp-1", "42", "TAG-A", 1500m, T0, T0.AddMinutes(20)),
            (row.StationId, row.Transaction.TransactionId, row.Transaction.IdToken, row.Transaction.EnergyWh, row.Transaction.StartedAt, row.Transaction.EndedAt));
        Assert.InRange(row.RecordedAt, before, DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Null(await ledger.GetAsync("cp-2", "42"));
    }

    [Theory]
    [InlineData("not a cursor!")]
    [InlineData("bm90IGpzb24")]
    [InlineData("WyJzdGF0aW9ucyJd")]
    [InlineData("WyJldmVudHMiLCJ4Il0")]
    [InlineData("WyJzdGF0aW9ucyIsIv8iXQ")]
    [InlineData("WyJzdGF0aW9ucyIsImEiLCJiIl0")]
    [InlineData("WyJ0cmFuc2FjdGlvbnMiLDkwMDAwMDAwMDAwMDAwMDAwMDAsImEiLCJiIl0")]
    public async Task A_cursor_no_list_returned_is_refused_with_an_argument_error(string cursor)
    {
        var store = await NewStoreAsync();
        var ledger = await NewLedgerAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.ListStationsAsync(new StationQuery(Cursor: cursor)));
        Assert.Contains("NextCursor", error.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => store.ListEventsAsync(new EventQuery("cp-1", Cursor: cursor)));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ListCommandsAsync(new CommandQuery("cp-1", Cursor: cursor)));
        await Assert.ThrowsAsync<ArgumentException>(() => ledger.QueryAsync(new TransactionQuery(Cursor: cursor)));
    }

    [Fact]
    public async Task A_cursor_of_one_list_is_refused_by_another()
    {
        var store = await NewStoreAsync();
        await store.AppendEventsAsync("cp-1", [Event(1, "Boot", 0), Event(2, "Boot", 1)]);
        var eventCursor = (await store.ListEventsAsync(new EventQuery("cp-1", Limit: 1))).NextCursor;

        Assert.NotNull(eventCursor);
        await Assert.ThrowsAsync<ArgumentException>(() => store.ListCommandsAsync(new CommandQuery("cp-1", Cursor: eventCursor)));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ListStationsAsync(new StationQuery(Cursor: eventCursor)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(501)]
    public async Task A_limit_outside_1_to_500_is_refused(int limit)
    {
        var store = await NewStoreAsync();
        var ledger = await NewLedgerAsync();

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ListStationsAsync(new StationQuery(Limit: limit)));
        Assert.Contains("between 1 and 500", error.Message);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ListEventsAsync(new EventQuery("cp-1", Limit: limit)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ListCommandsAsync(new CommandQuery("cp-1", Limit: limit)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ledger.QueryAsync(new TransactionQuery(Limit: limit)));
    }

    [Fact]
    public async Task A_limit_of_500_returns_up_to_500_rows()
    {
        var store = await NewStoreAsync();
        await store.AppendEventsAsync("cp-1", [.. Enumerable.Range(1, 501).Select(n => Event(n, "Boot", 0))]);

        var page = await store.ListEventsAsync(new EventQuery("cp-1", Limit: 500));

        Assert.Equal(500, page.Items.Count);
        Assert.NotNull(page.NextCursor);
    }

    protected static StationRegistryEntry Station(string id, string vendor, string model, bool connected, string? site = null, string? description = null,
        RegistrationStatus registration = RegistrationStatus.Accepted, string version = "1.6", DateTimeOffset? seen = null) =>
        new(id, new BootInfo(vendor, model, $"SN-{id}", "1.0", "PowerUp", T0), registration, version, connected, "g1", seen ?? T0, site, description);

    protected static SequencedEvent Event(long seq, string kind, int minute) => new(seq, new StationEvent(T0.AddMinutes(minute), kind, $"detail {seq}"));

    protected static MeterSample Sample(int minute, decimal value) =>
        new(T0.AddMinutes(minute), "Energy.Active.Import.Register", value, "Wh", null, "Sample.Periodic", null);

    protected static CommandStatus Command(string id, string action, CommandState state, int minute, string? response = null,
        (string Code, string Description)? error = null, bool sent = true) =>
        new(id, action, state, T0.AddMinutes(minute), sent ? T0.AddMinutes(minute).AddSeconds(1) : null, T0.AddMinutes(minute).AddSeconds(30),
            response, error?.Code, error?.Description, """{"type":"Soft"}""", TimeSpan.FromSeconds(30), T0.AddMinutes(minute).AddHours(1), "ops-bot");

    protected static TransactionSnapshot Transaction(string id, int? started, int ended, string? token = "TAG") =>
        new(id, 1, 1, token, started is { } s ? T0.AddMinutes(s) : null, T0.AddMinutes(ended), 1000m, 2500m, 1500m,
            null, "Local", [], 0, 3, false, [], 0);

    private static async Task<List<string>> Ids(IStationRecordStore store, StationQuery query) =>
        [.. (await store.ListStationsAsync(query)).Items.Select(s => s.StationId)];

    private static async Task<List<long>> Seqs(IStationRecordStore store, EventQuery query) =>
        [.. (await store.ListEventsAsync(query)).Items.Select(e => e.Seq)];

    private static async Task<List<string>> TransactionIds(ITransactionLedger ledger, TransactionQuery query) =>
        [.. (await ledger.QueryAsync(query)).Items.Select(t => t.Transaction.TransactionId)];

    /// <summary>Every page of a ledger query, in order; <paramref name="afterFirstPage"/> runs between the first and second page.</summary>
    private static async Task<List<(string Station, string Transaction)>> Walk(ITransactionLedger ledger, TransactionQuery query, Func<Task> afterFirstPage)
    {
        var rows = new List<(string, string)>();
        var cursor = query.Cursor;
        var first = true;
        do
        {
            var page = await ledger.QueryAsync(query with { Cursor = cursor });
            Assert.True(page.Items.Count <= query.Limit);
            rows.AddRange(page.Items.Select(t => (t.StationId, t.Transaction.TransactionId)));
            cursor = page.NextCursor;
            if (first)
            {
                first = false;
                await afterFirstPage();
            }
        }
        while (cursor is not null);
        return rows;
    }
}
