using System.Buffers.Text;
using System.Text.Json;
using Csms.Grains.Interfaces.History;

namespace Csms.Grains.History;

/// <summary>
/// Keyset paging for the history lists. A cursor is the sort key of the last row of a page, tagged with the list it
/// belongs to, as base64url JSON: opaque to callers, and the next page starts right behind that row however many rows
/// were added meanwhile. Both the in-memory and the PostgreSQL stores use it, so their cursors look alike.
/// </summary>
internal static class Paging
{
    public const int MaxLimit = 500;

    public const string Stations = "stations";
    public const string Transactions = "transactions";
    public const string Events = "events";
    public const string Commands = "commands";
    public const string IdTokens = "idtokens";

    /// <summary>Returns <paramref name="limit"/>, or throws if it is outside 1..<see cref="MaxLimit"/>.</summary>
    public static int CheckLimit(int limit) => limit is >= 1 and <= MaxLimit
        ? limit
        : throw new ArgumentOutOfRangeException(nameof(limit), limit,
            $"The limit must be between 1 and {MaxLimit}; for more rows, follow the page's NextCursor.");

    /// <summary>
    /// A page from up to <paramref name="limit"/> + 1 rows: the extra row only says there is more, and the cursor
    /// points behind the last row returned.
    /// </summary>
    public static Page<T> ToPage<T>(IReadOnlyList<T> rows, int limit, Func<T, string> cursorOf) => rows.Count > limit
        ? new Page<T>(rows.Take(limit).ToArray(), cursorOf(rows[limit - 1]))
        : new Page<T>(rows, null);

    public static string StationCursor(string stationId) => KeyCursor(Stations, stationId);

    public static string? ReadStationCursor(string? cursor) => ReadKeyCursor(cursor, Stations);

    /// <summary>For lists ordered by one text key (stations, id tokens).</summary>
    public static string KeyCursor(string list, string key) => Encode(list, w => w.WriteStringValue(key));

    public static string? ReadKeyCursor(string? cursor, string list) => Decode(cursor, list, 1, key => Text(key[0]));

    /// <summary>For the lists of one station's sequenced rows (events, commands).</summary>
    public static string SeqCursor(string list, long seq) => Encode(list, w => w.WriteNumberValue(seq));

    public static long? ReadSeqCursor(string? cursor, string list) => Decode<long?>(cursor, list, 1, key => Number(key[0]));

    public static string TransactionCursor(DateTimeOffset at, string stationId, string transactionId) => Encode(Transactions, w =>
    {
        w.WriteNumberValue(at.UtcTicks);
        w.WriteStringValue(stationId);
        w.WriteStringValue(transactionId);
    });

    public static TransactionPosition? ReadTransactionCursor(string? cursor) => Decode<TransactionPosition?>(cursor, Transactions, 3, key =>
        new TransactionPosition(new DateTimeOffset(Number(key[0]), TimeSpan.Zero), Text(key[1]), Text(key[2])));

    private static string Encode(string list, Action<Utf8JsonWriter> key)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(list);
            key(writer);
            writer.WriteEndArray();
        }
        return Base64Url.EncodeToString(buffer.ToArray());
    }

    /// <summary>
    /// Reads a cursor of <paramref name="list"/>: its tag, then <paramref name="fields"/> key fields; default (the first
    /// page) for no cursor. Anything else, however it fails, is the caller's mistake and reported as such.
    /// </summary>
    private static T? Decode<T>(string? cursor, string list, int fields, Func<JsonElement[], T> read)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return default;
        }
        try
        {
            using var json = JsonDocument.Parse(Base64Url.DecodeFromChars(cursor));
            var items = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement.EnumerateArray().ToArray() : [];
            if (items.Length != fields + 1 || items[0].ValueKind != JsonValueKind.String || items[0].GetString() != list)
            {
                throw new FormatException($"not a cursor of the {list} list");
            }
            return read(items[1..]);
        }
        // out-of-range ticks fail the DateTimeOffset; text that is not UTF-8 fails GetString
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException or ArgumentOutOfRangeException)
        {
            throw new ArgumentException(
                $"The cursor is not one this {list} list returned: pass a page's NextCursor back unchanged, or no cursor for the first page.",
                "cursor", ex);
        }
    }

    private static string Text(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new FormatException("a text field expected");

    private static long Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : throw new FormatException("an integer field expected");
}

/// <summary>Where a page of the ledger ends: its last row's time (start, else end) and key.</summary>
internal readonly record struct TransactionPosition(DateTimeOffset At, string StationId, string TransactionId);
