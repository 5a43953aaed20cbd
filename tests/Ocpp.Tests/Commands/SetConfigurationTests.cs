using Csms.Ocpp.Commands;
using static Csms.Ocpp.Tests.Commands.Translated;

namespace Csms.Ocpp.Tests.Commands;

public class SetConfigurationTests
{
    private static readonly SetConfigurationCommand TwoSettings = new()
    {
        Settings =
        [
            new ConfigurationSetting { Name = "HeartbeatInterval", Value = "300" },
            new ConfigurationSetting { Name = "SampledDataCtrlr.TxUpdatedInterval", Value = "60" },
        ],
    };

    [Fact]
    public void SetConfiguration_for_a_16_station_is_one_ChangeConfiguration_per_key_in_order()
    {
        var calls = Calls(TwoSettings, OcppVersion.V16);

        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal("ChangeConfiguration", c.Action));
        Assert.Equal(("HeartbeatInterval", "300"), (calls[0].Payload["key"].Text(), calls[0].Payload["value"].Text()));
        Assert.Equal(("MeterValueSampleInterval", "60"), (calls[1].Payload["key"].Text(), calls[1].Payload["value"].Text()));
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void SetConfiguration_for_a_2x_station_is_one_SetVariables_with_every_setting(OcppVersion version)
    {
        var data = Single(TwoSettings, version, "SetVariables")["setVariableData"]!.AsArray();

        Assert.Equal(2, data.Count);
        Assert.Equal("OCPPCommCtrlr", data[0]!["component"]!["name"].Text());
        Assert.Equal("HeartbeatInterval", data[0]!["variable"]!["name"].Text());
        Assert.Equal("300", data[0]!["attributeValue"].Text());
        Assert.Equal("TxUpdatedInterval", data[1]!["variable"]!["name"].Text());
        Assert.Equal("60", data[1]!["attributeValue"].Text());
    }

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void SetConfiguration_without_settings_is_not_expressible(OcppVersion version) =>
        Problem(new SetConfigurationCommand { Settings = [] }, version, "settings");

    [Fact]
    public void SetConfiguration_of_a_value_over_500_characters_is_not_expressible_in_16() =>
        Problem(new SetConfigurationCommand { Settings = [new ConfigurationSetting { Name = "AcmeBanner", Value = new string('x', 501) }] },
            OcppVersion.V16, "settings[0].value");

    [Fact]
    public void SetConfiguration_of_a_value_over_1000_characters_is_not_expressible_in_201_but_is_in_21()
    {
        var command = new SetConfigurationCommand
        {
            Settings = [new ConfigurationSetting { Name = "TariffCostCtrlr.TariffFallbackMessage", Value = new string('x', 1001) }],
        };

        Problem(command, OcppVersion.V201, "settings[0].value");
        Single(command, OcppVersion.V21, "SetVariables");
    }

    [Fact]
    public void SetConfiguration_of_a_2x_variable_without_a_16_key_is_not_expressible_in_16() =>
        Problem(new SetConfigurationCommand { Settings = [new ConfigurationSetting { Name = "TxCtrlr.TxStartPoint", Value = "Authorized" }] },
            OcppVersion.V16, "settings[0].name");
}
