using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>
/// A 2.x device-model variable, written as text in configuration commands:
/// <code>
/// Component[evse=E,connector=C,instance=I].Variable[VariableInstance]
/// </code>
/// Every bracket is optional, and so is each key inside the component's bracket (connector needs evse). Examples:
/// <c>OCPPCommCtrlr.HeartbeatInterval</c>, <c>OCPPCommCtrlr.MessageAttempts[TransactionEvent]</c>,
/// <c>EVSE[evse=1].AvailabilityState</c>, <c>Connector[evse=1,connector=2].ConnectorType</c>.
/// </summary>
public sealed record DeviceModelVariable
{
    public required string Component { get; init; }

    public string? ComponentInstance { get; init; }

    public int? EvseId { get; init; }

    public int? ConnectorId { get; init; }

    public required string Variable { get; init; }

    public string? VariableInstance { get; init; }

    // ComponentType.name, VariableType.name and both instances are identifierString / string(50) in the 2.x schemas
    private const int MaxNameLength = 50;

    public static bool TryParse(string? text, [NotNullWhen(true)] out DeviceModelVariable? variable, [NotNullWhen(false)] out string? problem)
    {
        variable = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "the name is empty";
            return false;
        }
        var dot = IndexOutsideBrackets(text, '.');
        if (dot < 0)
        {
            problem = $"'{text}' has no '.': write Component.Variable, e.g. OCPPCommCtrlr.HeartbeatInterval";
            return false;
        }
        if (!TrySplit(text[..dot], out var component, out var selector, out problem)
            || !TrySplit(text[(dot + 1)..], out var name, out var variableInstance, out problem))
        {
            problem = $"'{text}': {problem}";
            return false;
        }

        int? evse = null, connector = null;
        string? componentInstance = null;
        foreach (var part in selector?.Split(',') ?? [])
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? part.Trim() : part[..eq].Trim();
            var value = eq < 0 ? "" : part[(eq + 1)..].Trim();
            switch (key.ToLowerInvariant())
            {
                case "evse" when TryNumber(value, out var n):
                    evse = n;
                    break;
                case "connector" when TryNumber(value, out var n):
                    connector = n;
                    break;
                case "instance" when value.Length is > 0 and <= MaxNameLength:
                    componentInstance = value;
                    break;
                default:
                    problem = $"'{text}': '{part}' is not evse=<number>, connector=<number> or instance=<name> inside the component's brackets";
                    return false;
            }
        }
        if (connector is not null && evse is null)
        {
            problem = $"'{text}': connector needs evse, because connectors are numbered within their EVSE";
            return false;
        }
        variable = new DeviceModelVariable
        {
            Component = component,
            ComponentInstance = componentInstance,
            EvseId = evse,
            ConnectorId = connector,
            Variable = name,
            VariableInstance = variableInstance,
        };
        problem = null;
        return true;
    }

    public static DeviceModelVariable Parse(string text) =>
        TryParse(text, out var variable, out var problem) ? variable : throw new FormatException(problem);

    /// <summary>The text form <see cref="TryParse"/> reads.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Component);
        var selector = new List<string>();
        if (EvseId is { } evse)
        {
            selector.Add(string.Create(CultureInfo.InvariantCulture, $"evse={evse}"));
        }
        if (ConnectorId is { } connector)
        {
            selector.Add(string.Create(CultureInfo.InvariantCulture, $"connector={connector}"));
        }
        if (ComponentInstance is not null)
        {
            selector.Add("instance=" + ComponentInstance);
        }
        if (selector.Count > 0)
        {
            text.Append('[').AppendJoin(',', selector).Append(']');
        }
        text.Append('.').Append(Variable);
        if (VariableInstance is not null)
        {
            text.Append('[').Append(VariableInstance).Append(']');
        }
        return text.ToString();
    }

    /// <summary>The ComponentType object of GetVariableData / SetVariableData.</summary>
    internal JsonObject ComponentJson() =>
        new JsonObject()
            .Put("evse", EvseId is null ? null : new JsonObject { ["id"] = EvseId }.Put("connectorId", ConnectorId))
            .Put("name", Component)
            .Put("instance", ComponentInstance);

    /// <summary>The VariableType object of GetVariableData / SetVariableData.</summary>
    internal JsonObject VariableJson() => new JsonObject { ["name"] = Variable }.Put("instance", VariableInstance);

    internal bool SameAs(DeviceModelVariable other) =>
        string.Equals(Component, other.Component, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Variable, other.Variable, StringComparison.OrdinalIgnoreCase)
        && string.Equals(ComponentInstance, other.ComponentInstance, StringComparison.OrdinalIgnoreCase)
        && string.Equals(VariableInstance, other.VariableInstance, StringComparison.OrdinalIgnoreCase)
        && EvseId == other.EvseId
        && ConnectorId == other.ConnectorId;

    private static bool TrySplit(string text, out string name, out string? bracket, [NotNullWhen(false)] out string? problem)
    {
        var open = text.IndexOf('[', StringComparison.Ordinal);
        name = open < 0 ? text : text[..open];
        bracket = null;
        if (open >= 0)
        {
            if (!text.EndsWith(']'))
            {
                problem = "a '[' is not closed by a ']' at the end of the name";
                return false;
            }
            bracket = text[(open + 1)..^1];
            if (bracket.Length is 0 or > MaxNameLength)
            {
                problem = $"the text in brackets must be 1 to {MaxNameLength} characters";
                return false;
            }
        }
        if (name.Length is 0 or > MaxNameLength || name.Any(c => char.IsWhiteSpace(c) || c is '[' or ']' or '.'))
        {
            problem = $"'{name}' is not a component or variable name (1 to {MaxNameLength} characters, no spaces or brackets)";
            return false;
        }
        problem = null;
        return true;
    }

    private static int IndexOutsideBrackets(string text, char c)
    {
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '[' => 1, ']' => -1, _ => 0 };
            if (depth == 0 && text[i] == c)
            {
                return i;
            }
        }
        return -1;
    }

    private static bool TryNumber(string value, out int number) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out number);
}
