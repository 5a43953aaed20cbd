using Csms.Grains.History;
using Csms.Grains.Interfaces.Authorization;
using Csms.Grains.Interfaces.History;
using Csms.Grains.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Csms.Grains.Authorization;

/// <summary>Cluster mode's token list: <c>csms_id_tokens</c> (deploy/sql/006_csms_id_tokens.sql).</summary>
public sealed class PostgresIdTokenStore(NpgsqlDataSource database) : IIdTokenStore
{
    public async Task UpsertAsync(IdTokenEntry entry, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO csms_id_tokens AS t (id_token, status, expires_at, group_id, updated_at)
            VALUES (@token, @status, @expires, @group, @updated)
            ON CONFLICT (id_token) DO UPDATE SET
                status = EXCLUDED.status, expires_at = EXCLUDED.expires_at, group_id = EXCLUDED.group_id, updated_at = EXCLUDED.updated_at
            WHERE t.updated_at <= EXCLUDED.updated_at
            """);
        var p = command.Parameters;
        p.AddWithValue("token", entry.IdToken);
        p.AddWithValue("status", entry.Record.Status.ToString());
        p.Add(new NpgsqlParameter("expires", NpgsqlDbType.TimestampTz) { Value = (object?)entry.Record.ExpiresAt?.UtcDateTime ?? DBNull.Value });
        p.Add(new NpgsqlParameter("group", NpgsqlDbType.Text) { Value = (object?)entry.Record.GroupId ?? DBNull.Value });
        p.AddWithValue("updated", entry.UpdatedAt.UtcDateTime);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RemoveAsync(string idToken, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("DELETE FROM csms_id_tokens WHERE id_token = @token");
        command.Parameters.AddWithValue("token", idToken);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Page<IdTokenEntry>> ListAsync(IdTokenQuery query, CancellationToken cancellationToken = default)
    {
        var limit = Paging.CheckLimit(query.Limit);
        var after = Paging.ReadKeyCursor(query.Cursor, Paging.IdTokens);
        await using var command = database.CreateCommand("""
            SELECT id_token, status, expires_at, group_id, updated_at FROM csms_id_tokens
            WHERE (@after::text IS NULL OR id_token > @after)
              AND (@group::text IS NULL OR group_id = @group)
              AND (@status::text IS NULL OR status = @status)
            ORDER BY id_token
            LIMIT @limit
            """);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter("after", NpgsqlDbType.Text) { Value = (object?)after ?? DBNull.Value });
        p.Add(new NpgsqlParameter("group", NpgsqlDbType.Text) { Value = (object?)query.GroupId ?? DBNull.Value });
        p.Add(new NpgsqlParameter("status", NpgsqlDbType.Text) { Value = (object?)query.Status?.ToString() ?? DBNull.Value });
        p.AddWithValue("limit", limit + 1);
        var rows = new List<IdTokenEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var status = Enum.TryParse<IdTokenStatus>(reader.GetString(1), out var s) ? s : IdTokenStatus.Invalid;
            rows.Add(new IdTokenEntry(reader.GetString(0), new IdTokenRecord(status, reader.GetTimeOrNull(2), reader.Get<string>(3)), reader.GetTime(4)));
        }
        return Paging.ToPage(rows, limit, t => Paging.KeyCursor(Paging.IdTokens, t.IdToken));
    }
}
