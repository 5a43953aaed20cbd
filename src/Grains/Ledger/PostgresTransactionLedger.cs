using Csms.Grains.History;
using Csms.Grains.Interfaces.History;
using Csms.Grains.Interfaces.Transactions;
using Csms.Grains.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Csms.Grains.Ledger;

/// <summary>The ledger of cluster mode: <c>csms_transactions</c> (deploy/sql/003_csms_ledger.sql, indexes in 005_csms_operator_api.sql).</summary>
public sealed class PostgresTransactionLedger(NpgsqlDataSource database) : ITransactionLedger
{
    private const string Columns = """
        transaction_id, evse_id, connector_id, id_token, started_at, ended_at, meter_start_wh, meter_stop_wh, energy_wh,
        stopped_reason, flags, events_received, offline_events, missing_seq_nos, station_id, recorded_at
        """;

    // a row's place in time; the same expression as the indexes of 005_csms_operator_api.sql, so they serve the lists
    private const string SortTime = "coalesce(started_at, ended_at, recorded_at)";

    public async Task<bool> RecordCompletedAsync(string stationId, TransactionSnapshot t, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO csms_transactions AS row (station_id, transaction_id, evse_id, connector_id, id_token, started_at, ended_at,
                meter_start_wh, meter_stop_wh, energy_wh, stopped_reason, flags, events_received, offline_events, missing_seq_nos)
            VALUES (@station, @transaction, @evse, @connector, @token, @started, @ended,
                @meterStart, @meterStop, @energy, @reason, @flags, @events, @offline, @missing)
            ON CONFLICT (station_id, transaction_id) DO UPDATE SET
                evse_id = EXCLUDED.evse_id, connector_id = EXCLUDED.connector_id, id_token = EXCLUDED.id_token,
                started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, meter_start_wh = EXCLUDED.meter_start_wh,
                meter_stop_wh = EXCLUDED.meter_stop_wh, energy_wh = EXCLUDED.energy_wh, stopped_reason = EXCLUDED.stopped_reason,
                flags = EXCLUDED.flags, events_received = EXCLUDED.events_received, offline_events = EXCLUDED.offline_events,
                missing_seq_nos = EXCLUDED.missing_seq_nos, updated_at = now()
            WHERE row.events_received < EXCLUDED.events_received
            RETURNING (xmax = 0) AS inserted
            """);
        var p = command.Parameters;
        p.AddWithValue("station", stationId);
        p.AddWithValue("transaction", t.TransactionId);
        p.AddWithValue("evse", t.EvseId);
        p.Add(Nullable("connector", NpgsqlDbType.Integer, t.ConnectorId));
        p.Add(Nullable("token", NpgsqlDbType.Text, t.IdToken));
        p.Add(Nullable("started", NpgsqlDbType.TimestampTz, t.StartedAt?.UtcDateTime));
        p.Add(Nullable("ended", NpgsqlDbType.TimestampTz, t.EndedAt?.UtcDateTime));
        p.Add(Nullable("meterStart", NpgsqlDbType.Numeric, t.MeterStartWh));
        p.Add(Nullable("meterStop", NpgsqlDbType.Numeric, t.MeterLastWh));
        p.Add(Nullable("energy", NpgsqlDbType.Numeric, t.EnergyWh));
        p.Add(Nullable("reason", NpgsqlDbType.Text, t.StoppedReason));
        p.AddWithValue("flags", t.Flags.ToArray());
        p.AddWithValue("events", t.EventsReceived);
        p.AddWithValue("offline", t.OfflineEvents);
        p.AddWithValue("missing", t.MissingSeqNoCount);
        var inserted = await command.ExecuteScalarAsync(cancellationToken);
        return inserted is true;
    }

    public async Task<IReadOnlyList<TransactionSnapshot>> ListAsync(string stationId, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand($"""
            SELECT {Columns} FROM csms_transactions WHERE station_id = @station ORDER BY ended_at DESC NULLS LAST LIMIT @limit
            """);
        command.Parameters.AddWithValue("station", stationId);
        command.Parameters.AddWithValue("limit", limit);
        return [.. (await Read(command, cancellationToken)).Select(r => r.Transaction)];
    }

    public async Task<Page<LedgerTransaction>> QueryAsync(TransactionQuery query, CancellationToken cancellationToken = default)
    {
        var limit = Paging.CheckLimit(query.Limit);
        var after = Paging.ReadTransactionCursor(query.Cursor);
        await using var command = database.CreateCommand();
        var p = command.Parameters;
        var where = new List<string>();
        if (query.StationId is not null)
        {
            where.Add("station_id = @station");
            p.AddWithValue("station", query.StationId);
        }
        if (query.IdToken is not null)
        {
            where.Add("id_token = @token");
            p.AddWithValue("token", query.IdToken);
        }
        if (query.From is { } from)
        {
            where.Add($"{SortTime} >= @from");
            p.AddWithValue("from", from.UtcDateTime);
        }
        if (query.To is { } to)
        {
            where.Add($"{SortTime} < @to");
            p.AddWithValue("to", to.UtcDateTime);
        }
        if (after is { } position)
        {
            // within one station the station column drops out, and what is left walks csms_transactions_by_station_time
            if (position.StationId == query.StationId)
            {
                where.Add($"({SortTime}, transaction_id) < (@afterAt, @afterTransaction)");
            }
            else
            {
                where.Add($"({SortTime}, station_id, transaction_id) < (@afterAt, @afterStation, @afterTransaction)");
                p.AddWithValue("afterStation", position.StationId);
            }
            p.AddWithValue("afterAt", position.At.UtcDateTime);
            p.AddWithValue("afterTransaction", position.TransactionId);
        }
        p.AddWithValue("limit", limit + 1);
        command.CommandText = $"""
            SELECT {Columns} FROM csms_transactions {(where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where))}
            ORDER BY {SortTime} DESC, station_id DESC, transaction_id DESC
            LIMIT @limit
            """;
        var rows = await Read(command, cancellationToken);
        return Paging.ToPage(rows, limit, r => Paging.TransactionCursor(
            r.Transaction.StartedAt ?? r.Transaction.EndedAt ?? r.RecordedAt, r.StationId, r.Transaction.TransactionId));
    }

    public async Task<LedgerTransaction?> GetAsync(string stationId, string transactionId, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand($"""
            SELECT {Columns} FROM csms_transactions WHERE station_id = @station AND transaction_id = @transaction
            """);
        command.Parameters.AddWithValue("station", stationId);
        command.Parameters.AddWithValue("transaction", transactionId);
        return (await Read(command, cancellationToken)).SingleOrDefault();
    }

    private static async Task<List<LedgerTransaction>> Read(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<LedgerTransaction>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var transaction = new TransactionSnapshot(
                reader.GetString(0), reader.GetInt32(1), reader.Get<int?>(2), reader.Get<string>(3),
                reader.GetTimeOrNull(4), reader.GetTimeOrNull(5), reader.Get<decimal?>(6), reader.Get<decimal?>(7), reader.Get<decimal?>(8),
                null, reader.Get<string>(9), [], reader.GetInt32(12), reader.GetInt32(11), false, reader.GetFieldValue<string[]>(10),
                reader.GetInt64(13));
            rows.Add(new LedgerTransaction(reader.GetString(14), transaction, reader.GetTime(15)));
        }
        return rows;
    }

    private static NpgsqlParameter Nullable(string name, NpgsqlDbType type, object? value) =>
        new(name, type) { Value = value ?? DBNull.Value };
}
