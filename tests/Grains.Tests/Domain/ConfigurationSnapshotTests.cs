using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Stations;

namespace Csms.Grains.Tests.Domain;

public class ConfigurationSnapshotTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_16_GetConfiguration_answer_records_every_key_with_its_value_and_readonly_flag()
    {
        var config = new Dictionary<string, ConfigurationValue>();

        ConfigurationSnapshot.ApplyCommand(config, "GetConfiguration", "{}",
            """{"configurationKey":[{"key":"HeartbeatInterval","readonly":false,"value":"300"},{"key":"NumberOfConnectors","readonly":true,"value":"2"}],"unknownKey":["Nope"]}""", T0);

        Assert.Equal(new ConfigurationValue("HeartbeatInterval", "300", false, "GetConfiguration", T0), config["HeartbeatInterval"]);
        Assert.True(config["NumberOfConnectors"].ReadOnly);
        Assert.False(config.ContainsKey("Nope"));
    }

    [Theory]
    [InlineData("Accepted", "600")]
    [InlineData("RebootRequired", "600")]
    [InlineData("Rejected", "300")]
    public void A_16_ChangeConfiguration_changes_the_value_only_if_the_station_took_it(string status, string expected)
    {
        var config = new Dictionary<string, ConfigurationValue>();
        ConfigurationSnapshot.ApplyCommand(config, "GetConfiguration", "{}", """{"configurationKey":[{"key":"HeartbeatInterval","readonly":false,"value":"300"}]}""", T0);

        ConfigurationSnapshot.ApplyCommand(config, "ChangeConfiguration", """{"key":"HeartbeatInterval","value":"600"}""", $$"""{"status":"{{status}}"}""", T0.AddMinutes(1));

        Assert.Equal(expected, config["HeartbeatInterval"].Value);
        Assert.False(config["HeartbeatInterval"].ReadOnly);
    }

    [Fact]
    public void A_2x_SetVariables_records_the_accepted_values_by_component_and_variable_name_and_skips_refused_ones()
    {
        var config = new Dictionary<string, ConfigurationValue>();
        const string request = """
            {"setVariableData":[
              {"attributeValue":"600","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}},
              {"attributeValue":"x","component":{"name":"EVSE","evse":{"id":1,"connectorId":2}},"variable":{"name":"Power","instance":"Max"}}]}
            """;
        const string response = """
            {"setVariableResult":[
              {"attributeStatus":"Accepted","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}},
              {"attributeStatus":"Rejected","component":{"name":"EVSE","evse":{"id":1,"connectorId":2}},"variable":{"name":"Power","instance":"Max"}}]}
            """;

        ConfigurationSnapshot.ApplyCommand(config, "SetVariables", request, response, T0);

        Assert.Equal("600", config["OCPPCommCtrlr.HeartbeatInterval"].Value);
        Assert.False(config.ContainsKey("EVSE[evse=1,connector=2].Power[Max]"));
    }

    [Fact]
    public void A_NotifyReport_records_the_actual_value_and_mutability_of_each_variable()
    {
        var config = new Dictionary<string, ConfigurationValue>();

        ConfigurationSnapshot.ApplyReport(config, """
            {"requestId":1,"generatedAt":"2026-01-01T00:00:00Z","seqNo":0,"reportData":[
              {"component":{"name":"EVSE","evse":{"id":1}},"variable":{"name":"AvailabilityState"},
               "variableAttribute":[{"type":"Actual","value":"Available","mutability":"ReadOnly"},{"type":"MaxSet","value":"x"}]}]}
            """, T0);

        var value = Assert.Single(config.Values);
        Assert.Equal(new ConfigurationValue("EVSE[evse=1].AvailabilityState", "Available", true, "NotifyReport", T0), value);
    }

    [Fact]
    public void Other_actions_change_nothing()
    {
        var config = new Dictionary<string, ConfigurationValue>();
        Assert.False(ConfigurationSnapshot.ApplyCommand(config, "Reset", """{"type":"Soft"}""", """{"status":"Accepted"}""", T0));
        Assert.Empty(config);
    }
}
