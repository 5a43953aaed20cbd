using Csms.Grains.Transactions;

namespace Csms.Grains.Tests.Domain;

public class MeterSamplesTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void KWh_is_normalised_to_Wh()
    {
        var sample = MeterSamples.Create(T0, null, "12.345", "kWh", 0, null, null, null);

        Assert.NotNull(sample);
        Assert.Equal(12345m, sample.Value);
        Assert.Equal("Wh", sample.Unit);
        Assert.Equal(MeterSamples.EnergyActiveImportRegister, sample.Measurand);
        Assert.Equal("Sample.Periodic", sample.Context);
    }

    [Fact]
    public void KW_is_normalised_to_W()
    {
        var sample = MeterSamples.Create(T0, "Power.Active.Import", 7.4m, "kW", 0, null, "Sample.Periodic", null);

        Assert.Equal(7400m, sample.Value);
        Assert.Equal("W", sample.Unit);
    }

    [Fact]
    public void A_positive_multiplier_scales_the_value()
    {
        var sample = MeterSamples.Create(T0, MeterSamples.EnergyActiveImportRegister, 12.5m, "Wh", 3, null, null, null);

        Assert.Equal(12500m, sample.Value);
        Assert.Equal("Wh", sample.Unit);
    }

    [Fact]
    public void A_multiplier_and_kWh_combine()
    {
        var sample = MeterSamples.Create(T0, MeterSamples.EnergyActiveImportRegister, 15m, "kWh", -1, null, null, null);

        Assert.Equal(1500m, sample.Value);
        Assert.Equal("Wh", sample.Unit);
    }

    [Fact]
    public void An_energy_measurand_without_unit_defaults_to_Wh()
    {
        var sample = MeterSamples.Create(T0, MeterSamples.EnergyActiveImportRegister, "1500", null, 0, null, "Transaction.Begin", null);

        Assert.NotNull(sample);
        Assert.Equal(1500m, sample.Value);
        Assert.Equal("Wh", sample.Unit);
        Assert.Equal("Transaction.Begin", sample.Context);
    }

    [Fact]
    public void A_non_numeric_1_6_value_is_skipped()
    {
        Assert.Null(MeterSamples.Create(T0, null, "0A1B2C3D", "Wh", 0, null, null, null));
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    [InlineData(13)]
    [InlineData(-13)]
    [InlineData(12)]
    [InlineData(-12)]
    public void Absurd_multipliers_do_not_throw(int multiplier)
    {
        var exception = Record.Exception(() => MeterSamples.Create(T0, MeterSamples.EnergyActiveImportRegister, 999_999m, "kWh", multiplier, null, null, null));

        Assert.Null(exception);
    }

    [Theory]
    [InlineData("79228162514264337593543950335")]
    [InlineData("-79228162514264337593543950335")]
    [InlineData("1e300")]
    [InlineData("999999999999999")]
    public void Absurd_values_do_not_throw(string value)
    {
        var exception = Record.Exception(() =>
        {
            MeterSamples.Create(T0, MeterSamples.EnergyActiveImportRegister, value, "kWh", 0, null, null, null);
            MeterSamples.Create(T0, MeterSamples.EnergyActiveImportRegister, value, "Wh", 12, null, null, null);
        });

        Assert.Null(exception);
    }

    [Fact]
    public void The_largest_decimal_in_kWh_does_not_overflow()
    {
        var exception = Record.Exception(() => MeterSamples.Create(T0, MeterSamples.EnergyActiveImportRegister, decimal.MaxValue, "kWh", 0, null, null, null));

        Assert.Null(exception);
    }
}
