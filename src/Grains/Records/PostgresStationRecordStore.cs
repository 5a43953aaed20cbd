using Csms.Grains.History;
using Csms.Grains.Interfaces.History;
using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Interfaces.Transactions;
using Csms.Grains.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Csms.Grains.Records;

/// <summary>
/// Cluster mode's records (deploy/sql/004_csms_station_records.sql, 005_csms_operator_api.sql). A batch is one
/// statement; re-sending it inserts nothing twice. The lists add only the filters given to their WHERE clause, so each
/// query can walk the index that matches it.
/// </summary>
public sealed class PostgresStationRecordStore(NpgsqlDataSource database) : IStationRecordStore
{
    public async Task AppendEventsAsync(string stationId, IReadOnlyList<SequencedEvent> events, CancellationToken cancellationToken = default)
    {
        if (events.Count == 0)
        {
            return;
        }
        await using var command = database.CreateCommand("""
            INSERT INTO csms_station_events (station_id, seq, occurred_at, kind, detail)
            SELECT @station, e.seq, e.occurred_at, e.kind, e.detail
            FROM unnest(@seq, @occurred, @kind, @detail) AS e(seq, occurred_at, kind, detail)
            ON CONFLICT (station_id, seq) DO NOTHING
            """);
        command.Parameters.AddWithValue("station", stationId);
        command.Parameters.AddWithValue("seq", events.Select(e => e.Seq).ToArray());
        command.Parameters.AddWithValue("occurred", events.Select(e => e.Event.Timestamp.UtcDateTime).ToArray());
        command.Parameters.AddWithValue("kind", events.Select(e => e.Event.Kind).ToArray());
        command.Parameters.AddWithValue("detail", events.Select(e => e.Event.Detail).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task AppendMeterValuesAsync(string stationId, int evseId, IReadOnlyList<SequencedSample> samples, CancellationToken cancellationToken = default)
    {
        if (samples.Count == 0)
        {
            return;
        }
        await using var command = database.CreateCommand("""
            INSERT INTO csms_meter_values (station_id, evse_id, seq, transaction_id, sampled_at, measurand, value, unit, phase, context, location)
            SELECT @station, @evse, s.seq, s.transaction_id, s.sampled_at, s.measurand, s.value, s.unit, s.phase, s.context, s.location
            FROM unnest(@seq, @transaction, @sampled, @measurand, @value, @unit, @phase, @context, @location)
                AS s(seq, transaction_id, sampled_at, measurand, value, unit, phase, context, location)
            ON CONFLICT (station_id, evse_id, seq) DO NOTHING
            """);
        var p = command.Parameters;
        p.AddWithValue("station", stationId);
        p.AddWithValue("evse", evseId);
        p.AddWithValue("seq", samples.Select(s => s.Seq).ToArray());
        p.Add(Texts("transaction", samples.Select(s => s.TransactionId)));
        p.AddWithValue("sampled", samples.Select(s => s.Sample.Timestamp.UtcDateTime).ToArray());
        p.AddWithValue("measurand", samples.Select(s => s.Sample.Measurand).ToArray());
        p.AddWithValue("value", samples.Select(s => s.Sample.Value).ToArray());
        p.Add(Texts("unit", samples.Select(s => s.Sample.Unit)));
        p.Add(Texts("phase", samples.Select(s => s.Sample.Phase)));
        p.Add(Texts("context", samples.Select(s => s.Sample.Context)));
        p.Add(Texts("location", samples.Select(s => s.Sample.Location)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task UpsertStationAsync(StationRegistryEntry entry, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO csms_stations AS s (station_id, vendor, model, serial_number, firmware_version, registration, ocpp_version,
                connected, gateway_id, last_seen, site, description, updated_at)
            VALUES (@station, @vendor, @model, @serial, @firmware, @registration, @version, @connected, @gateway, @seen, @site,
                @description, now())
            ON CONFLICT (station_id) DO UPDATE SET
                vendor = EXCLUDED.vendor, model = EXCLUDED.model, serial_number = EXCLUDED.serial_number,
                firmware_version = EXCLUDED.firmware_version, registration = EXCLUDED.registration,
                ocpp_version = EXCLUDED.ocpp_version, connected = EXCLUDED.connected, gateway_id = EXCLUDED.gateway_id,
                last_seen = EXCLUDED.last_seen, site = EXCLUDED.site, description = EXCLUDED.description, updated_at = now()
            WHERE s.last_seen IS NULL OR s.last_seen <= EXCLUDED.last_seen
            """);
        var p = command.Parameters;
        p.AddWithValue("station", entry.StationId);
        p.Add(Text("vendor", entry.Boot?.Vendor));
        p.Add(Text("model", entry.Boot?.Model));
        p.Add(Text("serial", entry.Boot?.SerialNumber));
        p.Add(Text("firmware", entry.Boot?.FirmwareVersion));
        p.AddWithValue("registration", entry.Registration.ToString());
        p.Add(Text("version", entry.OcppVersion));
        p.AddWithValue("connected", entry.Connected);
        p.Add(Text("gateway", entry.GatewayId));
        p.AddWithValue("seen", entry.LastSeen.UtcDateTime);
        p.Add(Text("site", entry.Site));
        p.Add(Text("description", entry.Description));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RemoveStationAsync(string stationId, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("DELETE FROM csms_stations WHERE station_id = @station");
        command.Parameters.AddWithValue("station", stationId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task AppendCommandsAsync(string stationId, IReadOnlyList<StoredCommand> commands, CancellationToken cancellationToken = default)
    {
        if (commands.Count == 0)
        {
            return;
        }
        await using var command = database.CreateCommand("""
            INSERT INTO csms_commands (station_id, seq, command_id, action, state, queued_at, sent_at, completed_at, timeout, payload,
                response, error_code, error_description, requested_by, expires_at)
            SELECT @station, c.seq, c.command_id, c.action, c.state, c.queued_at, c.sent_at, c.completed_at, c.timeout, c.payload,
                c.response, c.error_code, c.error_description, c.requested_by, c.expires_at
            FROM unnest(@seq, @id, @action, @state, @queued, @sent, @completed, @timeout, @payload, @response, @errorCode, @errorDescription,
                    @requestedBy, @expires)
                AS c(seq, command_id, action, state, queued_at, sent_at, completed_at, timeout, payload, response, error_code, error_description,
                    requested_by, expires_at)
            ON CONFLICT (station_id, seq) DO NOTHING
            """);
        var p = command.Parameters;
        var c = commands.Select(x => x.Command).ToArray();
        p.AddWithValue("station", stationId);
        p.AddWithValue("seq", commands.Select(x => x.Seq).ToArray());
        p.AddWithValue("id", c.Select(x => x.CommandId).ToArray());
        p.AddWithValue("action", c.Select(x => x.Action).ToArray());
        p.AddWithValue("state", c.Select(x => x.State.ToString()).ToArray());
        p.AddWithValue("queued", c.Select(x => x.QueuedAt.UtcDateTime).ToArray());
        p.Add(Times("sent", c.Select(x => x.SentAt)));
        p.Add(Times("completed", c.Select(x => x.CompletedAt)));
        p.AddWithValue("timeout", c.Select(x => x.Timeout).ToArray());
        p.AddWithValue("payload", c.Select(x => x.PayloadJson).ToArray());
        p.Add(Texts("response", c.Select(x => x.ResponseJson)));
        p.Add(Texts("errorCode", c.Select(x => x.ErrorCode)));
        p.Add(Texts("errorDescription", c.Select(x => x.ErrorDescription)));
        p.Add(Texts("requestedBy", c.Select(x => x.RequestedBy)));
        p.Add(Times("expires", c.Select(x => x.ExpiresAt)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Page<StationSummary>> ListStationsAsync(StationQuery query, CancellationToken cancellationToken = default)
    {
        var limit = Paging.CheckLimit(query.Limit);
        var after = Paging.ReadStationCursor(query.Cursor);
        await using var command = database.CreateCommand();
        var p = command.Parameters;
        var where = new List<string>();
        if (after is not null)
        {
            where.Add("station_id > @after");
            p.AddWithValue("after", after);
        }
        if (query.Site is not null)
        {
            where.Add("site = @site");
            p.AddWithValue("site", query.Site);
        }
        if (query.Connected is { } connected)
        {
            where.Add("connected = @connected");
            p.AddWithValue("connected", connected);
        }
        if (query.Registration is { } registration)
        {
            where.Add("registration = @registration");
            p.AddWithValue("registration", registration.ToString());
        }
        if (query.OcppVersion is not null)
        {
            where.Add("ocpp_version = @version");
            p.AddWithValue("version", query.OcppVersion);
        }
        if (query.Vendor is not null)
        {
            where.Add("lower(vendor) = lower(@vendor)");
            p.AddWithValue("vendor", query.Vendor);
        }
        if (query.Model is not null)
        {
            where.Add("lower(model) = lower(@model)");
            p.AddWithValue("model", query.Model);
        }
        p.AddWithValue("limit", limit + 1);
        command.CommandText = $"""
            SELECT station_id, site, description, vendor, model, serial_number, firmware_version, registration, ocpp_version,
                   connected, gateway_id, last_seen
            FROM csms_stations {Where(where)}
            ORDER BY station_id
            LIMIT @limit
            """;
        var rows = new List<StationSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new StationSummary(
                reader.GetString(0), reader.Get<string>(1), reader.Get<string>(2), reader.Get<string>(3), reader.Get<string>(4),
                reader.Get<string>(5), reader.Get<string>(6),
                Enum.TryParse<RegistrationStatus>(reader.GetString(7), out var status) ? status : RegistrationStatus.Unknown,
                reader.Get<string>(8), reader.GetBoolean(9), reader.Get<string>(10), reader.GetTimeOrNull(11)));
        }
        return Paging.ToPage(rows, limit, s => Paging.StationCursor(s.StationId));
    }

    public async Task<Page<StoredStationEvent>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(query.StationId);
        var limit = Paging.CheckLimit(query.Limit);
        var after = Paging.ReadSeqCursor(query.Cursor, Paging.Events);
        await using var command = database.CreateCommand();
        var p = command.Parameters;
        var where = StationSeqConditions(p, query.StationId, after);
        if (query.Kind is not null)
        {
            where.Add("kind = @kind");
            p.AddWithValue("kind", query.Kind);
        }
        if (query.DetailPrefix is not null)
        {
            // starts_with, not LIKE: the prefix is data, its % and _ are not wildcards
            where.Add("starts_with(detail, @prefix)");
            p.AddWithValue("prefix", query.DetailPrefix);
        }
        if (query.From is { } from)
        {
            where.Add("occurred_at >= @from");
            p.AddWithValue("from", from.UtcDateTime);
        }
        if (query.To is { } to)
        {
            where.Add("occurred_at < @to");
            p.AddWithValue("to", to.UtcDateTime);
        }
        p.AddWithValue("limit", limit + 1);
        command.CommandText = $"""
            SELECT seq, occurred_at, kind, detail FROM csms_station_events {Where(where)} ORDER BY seq DESC LIMIT @limit
            """;
        var rows = new List<StoredStationEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new StoredStationEvent(query.StationId, reader.GetInt64(0),
                new StationEvent(reader.GetTime(1), reader.GetString(2), reader.GetString(3))));
        }
        return Paging.ToPage(rows, limit, e => Paging.SeqCursor(Paging.Events, e.Seq));
    }

    public async Task<Page<StoredCommand>> ListCommandsAsync(CommandQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(query.StationId);
        var limit = Paging.CheckLimit(query.Limit);
        var after = Paging.ReadSeqCursor(query.Cursor, Paging.Commands);
        await using var command = database.CreateCommand();
        var p = command.Parameters;
        var where = StationSeqConditions(p, query.StationId, after);
        if (query.Action is not null)
        {
            where.Add("action = @action");
            p.AddWithValue("action", query.Action);
        }
        p.AddWithValue("limit", limit + 1);
        command.CommandText = $"""
            SELECT seq, command_id, action, state, queued_at, sent_at, completed_at, response, error_code, error_description, payload, timeout,
                   expires_at, requested_by
            FROM csms_commands {Where(where)}
            ORDER BY seq DESC
            LIMIT @limit
            """;
        var rows = new List<StoredCommand>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new StoredCommand(query.StationId, reader.GetInt64(0), new CommandStatus(
                reader.GetString(1), reader.GetString(2), Enum.Parse<CommandState>(reader.GetString(3)), reader.GetTime(4),
                reader.GetTimeOrNull(5), reader.GetTimeOrNull(6), reader.Get<string>(7), reader.Get<string>(8), reader.Get<string>(9),
                reader.GetString(10), reader.GetFieldValue<TimeSpan>(11), reader.GetTimeOrNull(12), reader.Get<string>(13))));
        }
        return Paging.ToPage(rows, limit, c => Paging.SeqCursor(Paging.Commands, c.Seq));
    }

    public async Task<IReadOnlyList<StoredMeterValue>> ListTransactionMeterValuesAsync(string stationId, string transactionId, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("""
            SELECT evse_id, seq, sampled_at, measurand, value, unit, phase, context, location
            FROM csms_meter_values
            WHERE station_id = @station AND transaction_id = @transaction
            ORDER BY sampled_at, evse_id, seq
            """);
        command.Parameters.AddWithValue("station", stationId);
        command.Parameters.AddWithValue("transaction", transactionId);
        var rows = new List<StoredMeterValue>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new StoredMeterValue(reader.GetInt32(0), reader.GetInt64(1), transactionId, new MeterSample(
                reader.GetTime(2), reader.GetString(3), reader.GetDecimal(4), reader.Get<string>(5), reader.Get<string>(6),
                reader.Get<string>(7), reader.Get<string>(8))));
        }
        return rows;
    }

    private static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = value ?? (object)DBNull.Value };

    private static NpgsqlParameter Texts(string name, IEnumerable<string?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() };

    private static NpgsqlParameter Times(string name, IEnumerable<DateTimeOffset?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = values.Select(v => v?.UtcDateTime).ToArray() };

    /// <summary>One station's sequenced rows (events, commands), below the page cursor's seq: newest first.</summary>
    private static List<string> StationSeqConditions(NpgsqlParameterCollection p, string stationId, long? after)
    {
        var where = new List<string> { "station_id = @station" };
        p.AddWithValue("station", stationId);
        if (after is { } seq)
        {
            where.Add("seq < @after");
            p.AddWithValue("after", seq);
        }
        return where;
    }

    private static string Where(List<string> conditions) => conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
}
