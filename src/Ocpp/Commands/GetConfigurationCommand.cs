using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>
/// Read configuration: 1.6 GetConfiguration (keys), 2.x GetVariables (component + variable). Names may be 1.6 keys or
/// 2.x variables (<see cref="DeviceModelVariable"/> syntax); known equivalents are translated (<see cref="ConfigurationKeys"/>).
/// </summary>
public sealed record GetConfigurationCommand : OperatorCommand
{
    /// <summary>What to read; omitted or empty reads every key on a 1.6 station (2.x needs names).</summary>
    public IReadOnlyList<string>? Names { get; init; }

    internal override IReadOnlyList<OcppCall> ToCalls(OcppVersion version)
    {
        var names = Names ?? [];
        if (version == OcppVersion.V16)
        {
            var keys = names.Select((n, i) => (JsonNode)ConfigurationNames.Key16(n, $"names[{i}]")).ToArray();
            return [new OcppCall("GetConfiguration", new JsonObject().Put("key", keys.Length == 0 ? null : new JsonArray(keys)))];
        }

        if (names.Count == 0)
        {
            throw JsonPayload.Required("names",
                $"OCPP {version.Number()} GetVariables reads named variables only; to read the whole device model, request a GetBaseReport (FullInventory)");
        }
        var data = names.Select((n, i) =>
        {
            var variable = ConfigurationNames.Variable2x(n, $"names[{i}]");
            // attributeType left out: Actual is assumed (2.0.1 Part 2 "Referenced Components and Variables" section 2)
            return (JsonNode)new JsonObject { ["component"] = variable.ComponentJson(), ["variable"] = variable.VariableJson() };
        });
        return [new OcppCall("GetVariables", new JsonObject { ["getVariableData"] = new JsonArray([.. data]) })];
    }
}
