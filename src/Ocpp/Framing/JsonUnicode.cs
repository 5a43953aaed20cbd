using System.Globalization;

namespace Csms.Ocpp.Framing;

/// <summary>
/// RFC 8259 section 8.2: a <c>\u</c> escape of an unpaired UTF-16 surrogate (<c>"\ud800"</c>) is valid JSON but no
/// Unicode text, and System.Text.Json throws when it reads such a string. OCPP-J messages are UTF-8 text (4.1.2), so a
/// frame carrying one is refused before anything reads it.
/// </summary>
internal static class JsonUnicode
{
    /// <summary>Whether valid JSON text escapes a surrogate that is not part of a high-low pair.</summary>
    public static bool HasUnpairedSurrogateEscape(ReadOnlySpan<byte> json)
    {
        // in valid JSON every backslash starts an escape, and only inside strings or property names
        var highPending = false;
        var i = 0;
        while (true)
        {
            var next = json[i..].IndexOf((byte)'\\');
            if (next < 0)
            {
                return highPending;
            }
            if (highPending && next != 0)
            {
                return true; // a high surrogate not followed at once by another escape
            }
            i += next;
            if (json[i + 1] != (byte)'u')
            {
                if (highPending)
                {
                    return true;
                }
                i += 2;
                continue;
            }
            var unit = ushort.Parse(json.Slice(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            i += 6;
            if (char.IsLowSurrogate((char)unit))
            {
                if (!highPending)
                {
                    return true;
                }
                highPending = false;
            }
            else if (highPending)
            {
                return true;
            }
            else
            {
                highPending = char.IsHighSurrogate((char)unit);
            }
        }
    }
}
