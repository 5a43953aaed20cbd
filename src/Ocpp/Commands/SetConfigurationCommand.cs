using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>
/// Change configuration: 1.6 ChangeConfiguration takes one key per CALL, so n settings give n CALLs (send them in
/// order, each answered on its own); 2.x SetVariables takes them all in one CALL.
/// </summary>
public sealed record SetConfigurationCommand : OperatorCommand
{
    public required IReadOnlyList<ConfigurationSetting> Settings { get; init; }

    internal override IReadOnlyList<OcppCall> ToCalls(OcppVersion version)
    {
        if (Settings is null || Settings.Count == 0)
        {
            throw JsonPayload.Required("settings", "at least one name and value to set");
        }
        for (var i = 0; i < Settings.Count; i++)
        {
            if (Settings[i].Value is null)
            {
                throw JsonPayload.Required($"settings[{i}].value", "the new value, as text (e.g. \"300\", \"true\")");
            }
        }

        if (version == OcppVersion.V16)
        {
            return [.. Settings.Select((s, i) =>
            {
                var key = ConfigurationNames.Key16(s.Name, $"settings[{i}].name");
                return s.Value.Length <= 500
                    ? new OcppCall("ChangeConfiguration", new JsonObject { ["key"] = key, ["value"] = s.Value })
                    : throw new CommandNotExpressibleException($"settings[{i}].value is {s.Value.Length} characters; an OCPP 1.6 configuration value holds at most 500.");
            })];
        }

        // SetVariableData.attributeValue: string(1000) in 2.0.1, string(2500) in 2.1
        var maxLength = version == OcppVersion.V201 ? 1000 : 2500;
        var data = Settings.Select((s, i) =>
        {
            if (s.Value.Length > maxLength)
            {
                throw new CommandNotExpressibleException(
                    $"settings[{i}].value is {s.Value.Length} characters; an OCPP {version.Number()} variable value holds at most {maxLength}.");
            }
            var variable = ConfigurationNames.Variable2x(s.Name, $"settings[{i}].name");
            return (JsonNode)new JsonObject
            {
                ["attributeValue"] = s.Value,
                ["component"] = variable.ComponentJson(),
                ["variable"] = variable.VariableJson(),
            };
        });
        return [new OcppCall("SetVariables", new JsonObject { ["setVariableData"] = new JsonArray([.. data]) })];
    }
}
