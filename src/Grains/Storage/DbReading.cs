using Npgsql;

namespace Csms.Grains.Storage;

/// <summary>Reading our columns back: NULL as the CLR default, <c>timestamptz</c> as a UTC <see cref="DateTimeOffset"/>.</summary>
internal static class DbReading
{
    public static T? Get<T>(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? default : reader.GetFieldValue<T>(ordinal);

    public static DateTimeOffset GetTime(this NpgsqlDataReader reader, int ordinal) =>
        new(reader.GetFieldValue<DateTime>(ordinal), TimeSpan.Zero);

    public static DateTimeOffset? GetTimeOrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetTime(ordinal);
}
