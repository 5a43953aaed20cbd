using System.Diagnostics.CodeAnalysis;

namespace Csms.Ocpp.Commands;

/// <summary>
/// Resolves an operator's configuration name for a version. A name is a 2.x device-model variable
/// (<see cref="DeviceModelVariable"/> syntax) when it has a bracket or when the text before its first '.' is a 2.x
/// component (any "...Ctrlr", or ChargingStation, EVSE, Connector); anything else is a 1.6 key, which may be a
/// vendor-specific key. Known equivalents (<see cref="ConfigurationKeys"/>) are translated either way.
/// </summary>
internal static class ConfigurationNames
{
    private static readonly string[] TopologyComponents = ["ChargingStation", "EVSE", "Connector"];

    public static string Key16(string? name, string field)
    {
        if (!IsDeviceModelName(name, field))
        {
            return name.Length <= 50
                ? name
                : throw new CommandNotExpressibleException($"{field} '{name}' is longer than the 50 characters of an OCPP 1.6 configuration key.");
        }
        var variable = Variable(name, field);
        return ConfigurationKeys.TryGetKey(variable, out var key)
            ? key
            : throw new CommandNotExpressibleException(
                $"{field} '{name}' is an OCPP 2.x device-model variable with no OCPP 1.6 configuration key of the same meaning: "
                + "use the station's 1.6 key name (GetConfiguration without names lists them all).");
    }

    public static DeviceModelVariable Variable2x(string? name, string field)
    {
        if (IsDeviceModelName(name, field))
        {
            return Variable(name, field);
        }
        return ConfigurationKeys.TryGetVariable(name, out var variable)
            ? variable
            : throw new CommandNotExpressibleException(
                $"{field} '{name}' is an OCPP 1.6 configuration key with no known OCPP 2.x equivalent: name the device-model variable "
                + "as Component.Variable, e.g. OCPPCommCtrlr.HeartbeatInterval.");
    }

    private static bool IsDeviceModelName([NotNull] string? name, string field)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw JsonPayload.Required(field, "a 1.6 key or a Component.Variable name");
        }
        if (name.Contains('[', StringComparison.Ordinal))
        {
            return true;
        }
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return false;
        }
        var component = name[..dot];
        return component.EndsWith("Ctrlr", StringComparison.OrdinalIgnoreCase)
            || TopologyComponents.Contains(component, StringComparer.OrdinalIgnoreCase);
    }

    private static DeviceModelVariable Variable(string name, string field) =>
        DeviceModelVariable.TryParse(name, out var variable, out var problem)
            ? variable
            : throw new CommandNotExpressibleException($"{field} {problem}.");
}
