namespace Csms.Ocpp.Validation;

/// <summary>The string formats OCPP schemas use, checked without allocating.</summary>
internal static class SchemaFormats
{
    /// <summary>RFC 3339 section 5.6 date-time: full-date "T" full-time, offset required, fraction optional.</summary>
    public static bool IsDateTime(ReadOnlySpan<byte> s)
    {
        // shortest form: 2024-01-01T00:00:00Z
        if (s.Length < 20
            || !TryDigits(s, 0, 4, out var year) || s[4] != '-'
            || !TryDigits(s, 5, 2, out var month) || s[7] != '-'
            || !TryDigits(s, 8, 2, out var day)
            || (s[10] | 0x20) != 't'
            || !TryDigits(s, 11, 2, out var hour) || s[13] != ':'
            || !TryDigits(s, 14, 2, out var minute) || s[16] != ':'
            || !TryDigits(s, 17, 2, out var second))
        {
            return false;
        }
        if (month is < 1 or > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }

        var i = 19;
        if (s[i] == '.')
        {
            var start = ++i;
            while (i < s.Length && IsDigit(s[i]))
            {
                i++;
            }
            if (i == start)
            {
                return false;
            }
        }
        if (i >= s.Length)
        {
            return false;
        }
        if ((s[i] | 0x20) == 'z')
        {
            return i + 1 == s.Length;
        }
        return (s[i] == '+' || s[i] == '-')
            && s.Length - i == 6
            && TryDigits(s, i + 1, 2, out var offsetHour) && offsetHour <= 23
            && s[i + 3] == ':'
            && TryDigits(s, i + 4, 2, out var offsetMinute) && offsetMinute <= 59;
    }

    /// <summary>An absolute URI (RFC 3986): a scheme, then only characters a URI may carry.</summary>
    public static bool IsAbsoluteUri(string s)
    {
        // Uri.TryCreate alone would take "/path" as an absolute file URI on Unix, so insist on a scheme
        var colon = s.IndexOf(':', StringComparison.Ordinal);
        if (colon < 1 || !char.IsAsciiLetter(s[0]))
        {
            return false;
        }
        for (var i = 1; i < colon; i++)
        {
            var c = s[i];
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }
        for (var i = colon + 1; i < s.Length; i++)
        {
            var c = s[i];
            if (c <= ' ' || c >= 0x7F || c is '"' or '<' or '>' or '\\' or '^' or '`' or '{' or '|' or '}')
            {
                return false;
            }
            if (c == '%' && (i + 2 >= s.Length || !char.IsAsciiHexDigit(s[i + 1]) || !char.IsAsciiHexDigit(s[i + 2])))
            {
                return false;
            }
        }
        return Uri.TryCreate(s, UriKind.Absolute, out _);
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static bool TryDigits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
        {
            return false;
        }
        for (var i = start; i < start + count; i++)
        {
            if (!IsDigit(s[i]))
            {
                return false;
            }
            value = (value * 10) + (s[i] - '0');
        }
        return true;
    }

    private static int DaysInMonth(int year, int month) => month switch
    {
        2 => (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };
}
