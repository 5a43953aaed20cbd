using System.Globalization;
using System.Text;

namespace Csms.Ocpp.CodeGen;

/// <summary>Turns schema names and wire values into C# identifiers.</summary>
public static class Naming
{
    /// <summary>
    /// PascalCase identifier from an arbitrary wire value: splits on anything that is not a letter or digit
    /// and upper-cases the first letter of each part, keeping the rest as written (kWh → KWh, L1-N → L1N).
    /// </summary>
    public static string Pascal(string value)
    {
        var sb = new StringBuilder(value.Length);
        var startOfPart = true;
        foreach (var c in value)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(startOfPart ? char.ToUpperInvariant(c) : c);
                startOfPart = false;
            }
            else
            {
                startOfPart = true;
            }
        }
        if (sb.Length == 0)
        {
            // values made only of symbols ("-", "+") still need a readable, stable name
            foreach (var c in value)
            {
                sb.Append(c switch
                {
                    '-' => "Minus",
                    '+' => "Plus",
                    '.' => "Dot",
                    '_' => "Underscore",
                    ' ' => "Space",
                    '*' => "Star",
                    '/' => "Slash",
                    _ => "U" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
                });
            }
            if (sb.Length == 0)
            {
                sb.Append("Empty");
            }
        }
        if (char.IsAsciiDigit(sb[0]))
        {
            sb.Insert(0, "Value");
        }
        return sb.ToString();
    }

    /// <summary>Makes each name unique within one scope by appending 2, 3, ... to later duplicates.</summary>
    public static IReadOnlyList<string> Unique(IEnumerable<string> names, IEnumerable<string>? reserved = null)
    {
        var used = new HashSet<string>(reserved ?? [], StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var name in names)
        {
            var candidate = name;
            for (var i = 2; !used.Add(candidate); i++)
            {
                candidate = name + i.ToString(CultureInfo.InvariantCulture);
            }
            result.Add(candidate);
        }
        return result;
    }
}
