using Csms.Ocpp.Commands;

namespace Csms.Ocpp.Tests.Commands;

public class ConfigurationKeysTests
{
    [Fact]
    public void Every_16_key_maps_to_a_2x_variable_that_maps_back_to_the_same_key()
    {
        Assert.NotEmpty(ConfigurationKeys.All);
        foreach (var (key, variable) in ConfigurationKeys.All)
        {
            Assert.True(ConfigurationKeys.TryGetVariable(key.ToUpperInvariant(), out var found));
            Assert.Equal(variable, found);
            Assert.True(ConfigurationKeys.TryGetKey(variable, out var back));
            Assert.Equal(key, back);
        }
    }

    [Fact]
    public void No_two_16_keys_share_a_2x_variable() =>
        Assert.Equal(ConfigurationKeys.All.Count, ConfigurationKeys.All.Select(p => p.Value.ToString()).Distinct(StringComparer.OrdinalIgnoreCase).Count());

    [Theory]
    [InlineData("HeartbeatInterval", "OCPPCommCtrlr.HeartbeatInterval")]
    [InlineData("MeterValueSampleInterval", "SampledDataCtrlr.TxUpdatedInterval")]
    [InlineData("ConnectionTimeOut", "TxCtrlr.EVConnectionTimeOut")]
    [InlineData("TransactionMessageRetryInterval", "OCPPCommCtrlr.MessageAttemptInterval[TransactionEvent]")]
    [InlineData("GetConfigurationMaxKeys", "DeviceDataCtrlr.ItemsPerMessage[GetVariables]")]
    public void Common_16_keys_have_the_2x_variable_the_spec_defines_with_the_same_meaning(string key, string variable)
    {
        Assert.True(ConfigurationKeys.TryGetVariable(key, out var found));
        Assert.Equal(variable, found.ToString());
    }

    [Fact]
    public void AuthorizationKey_is_not_mapped_because_16_wants_hex_where_2x_wants_a_password() =>
        Assert.False(ConfigurationKeys.TryGetVariable("AuthorizationKey", out _));

    [Theory]
    [InlineData("OCPPCommCtrlr.HeartbeatInterval")]
    [InlineData("OCPPCommCtrlr.FieldLength[BootNotificationResponse.interval]")]
    [InlineData("Connector[evse=1,connector=2,instance=left].ConnectorType")]
    [InlineData("EVSE[evse=1].Power")]
    [InlineData("SampledDataCtrlr[instance=meter2].TxUpdatedMeasurands[Main]")]
    public void A_device_model_variable_name_reads_back_as_the_same_text(string text) =>
        Assert.Equal(text, DeviceModelVariable.Parse(text).ToString());
}
