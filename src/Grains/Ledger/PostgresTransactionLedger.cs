using Csms.Grains.Interfaces.Transactions;
using Npgsql;
using NpgsqlTypes;

namespace Csms.Grains.Ledger;

/// <summary>The ledger of cluster mode: <c>csms_transactions</c> (deploy/sql/003_csms_ledger.sql).</summary>
public sealed class PostgresTransactionLedger(NpgsqlDataSource database) : ITransactionLedger
{
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
        await using var command = database.CreateCommand("""
            SELECT transaction_id, evse_id, connector_id, id_token, started_at, ended_at, meter_start_wh, meter_stop_wh, energy_wh,
                   stopped_reason, flags, events_received, offline_events, missing_seq_nos
            FROM csms_transactions WHERE station_id = @station ORDER BY ended_at DESC NULLS LAST LIMIT @limit
            """);
        command.Parameters.AddWithValue("station", stationId);
        command.Parameters.AddWithValue("limit", limit);
        var rows = new List<TransactionSnapshot>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new TransactionSnapshot(
                reader.GetString(0), reader.GetInt32(1), Get<int?>(reader, 2), Get<string>(reader, 3),
                Time(reader, 4), Time(reader, 5), Get<decimal?>(reader, 6), Get<decimal?>(reader, 7), Get<decimal?>(reader, 8),
                null, Get<string>(reader, 9), [], reader.GetInt32(12), reader.GetInt32(11), false, reader.GetFieldValue<string[]>(10),
                reader.GetInt64(13)));
        }
        return rows;
    }

    private static NpgsqlParameter Nullable(string name, NpgsqlDbType type, object? value) =>
        new(name, type) { Value = value ?? DBNull.Value };

    private static T? Get<T>(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? default : reader.GetFieldValue<T>(ordinal);

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new DateTimeOffset(reader.GetFieldValue<DateTime>(ordinal), TimeSpan.Zero);
}
