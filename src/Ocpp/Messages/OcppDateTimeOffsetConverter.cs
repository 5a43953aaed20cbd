using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Csms.Ocpp.Messages;

/// <summary>
/// Writes OCPP timestamps as ISO 8601 with a "Z" suffix for UTC (what the spec asks for and what chargers
/// parse most reliably), without trailing fractional zeros; other offsets are kept as sent.
/// </summary>
public sealed class OcppDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Offset == TimeSpan.Zero
            ? value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture));
}
