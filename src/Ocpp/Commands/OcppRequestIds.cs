using System.Globalization;
using System.Text;

namespace Csms.Ocpp.Commands;

/// <summary>
/// Derives the integer ids 2.x correlates requests with (remoteStartId, requestId) from a stable text key, so a
/// retried command gets the same id. Callers that have their own command id pass it as the key.
/// </summary>
public static class OcppRequestIds
{
    /// <summary>A positive 31-bit id from the key (32-bit FNV-1a over its UTF-8 bytes).</summary>
    public static int FromKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            hash = (hash ^ b) * 16777619u;
        }
        var id = (int)(hash & int.MaxValue);
        return id == 0 ? 1 : id;
    }

    internal static int FromParts(params object?[] parts) =>
        FromKey(string.Join('\u001f', parts.Select(p => p switch
        {
            null => "",
            DateTimeOffset t => JsonPayload.Timestamp(t),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => p.ToString(),
        })));
}
