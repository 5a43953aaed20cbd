using System.Globalization;
using Csms.Grains.Interfaces.Transactions;

namespace Csms.Grains.Transactions;

/// <summary>Normalises sampled values from either version onto <see cref="MeterSample"/>.</summary>
public static class MeterSamples
{
    public const string EnergyActiveImportRegister = "Energy.Active.Import.Register";

    private const int MaxMultiplier = 12;

    /// <summary>
    /// Builds a sample; energy is normalised to Wh and power to W (1.6 units kWh/kW, 2.x unit plus 10^multiplier).
    /// Returns null for a 1.6 value that is not a number (e.g. the SignedData format), which is kept nowhere but not an error.
    /// </summary>
    public static MeterSample? Create(DateTimeOffset timestamp, string? measurand, string value, string? unit, int multiplier,
        string? phase, string? context, string? location)
    {
        if (!decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }
        return Create(timestamp, measurand, number, unit, multiplier, phase, context, location);
    }

    public static MeterSample Create(DateTimeOffset timestamp, string? measurand, decimal value, string? unit, int multiplier,
        string? phase, string? context, string? location)
    {
        // both versions: measurand defaults to Energy.Active.Import.Register, context to Sample.Periodic
        measurand ??= EnergyActiveImportRegister;
        if (multiplier is > MaxMultiplier or < -MaxMultiplier || Math.Abs(value) > 1e12m)
        {
            // no real meter reports such figures; keep the raw value rather than overflow decimal, and say so in the unit
            return new MeterSample(timestamp, measurand, value, $"{unit}*10^{multiplier}", phase, context ?? "Sample.Periodic", location);
        }
        if (multiplier != 0)
        {
            value *= Pow10(multiplier);
        }
        switch (unit)
        {
            case "kWh":
                value *= 1000m;
                unit = "Wh";
                break;
            case "kW":
                value *= 1000m;
                unit = "W";
                break;
            case "kvarh":
                value *= 1000m;
                unit = "varh";
                break;
            case "kvar":
                value *= 1000m;
                unit = "var";
                break;
            case "kVA":
                value *= 1000m;
                unit = "VA";
                break;
        }
        unit ??= measurand.StartsWith("Energy", StringComparison.Ordinal) ? "Wh" : null;
        return new MeterSample(timestamp, measurand, value, unit, phase, context ?? "Sample.Periodic", location);
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < Math.Abs(exponent); i++)
        {
            result *= 10m;
        }
        return exponent >= 0 ? result : 1m / result;
    }
}
