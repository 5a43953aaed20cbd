using Npgsql;
using NpgsqlTypes;

namespace Csms.Grains.Records;

/// <summary>Cluster mode's records (deploy/sql/004_csms_station_records.sql). A batch is one statement; re-sending it inserts nothing twice.</summary>
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
                connected, gateway_id, last_seen, updated_at)
            VALUES (@station, @vendor, @model, @serial, @firmware, @registration, @version, @connected, @gateway, @seen, now())
            ON CONFLICT (station_id) DO UPDATE SET
                vendor = EXCLUDED.vendor, model = EXCLUDED.model, serial_number = EXCLUDED.serial_number,
                firmware_version = EXCLUDED.firmware_version, registration = EXCLUDED.registration,
                ocpp_version = EXCLUDED.ocpp_version, connected = EXCLUDED.connected, gateway_id = EXCLUDED.gateway_id,
                last_seen = EXCLUDED.last_seen, updated_at = now()
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
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = value ?? (object)DBNull.Value };

    private static NpgsqlParameter Texts(string name, IEnumerable<string?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() };
}
