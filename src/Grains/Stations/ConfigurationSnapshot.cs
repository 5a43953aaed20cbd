using System.Globalization;
using System.Text;
using System.Text.Json;
using Csms.Grains.Interfaces.Stations;

namespace Csms.Grains.Stations;

/// <summary>
/// A station's configuration / device model as we last saw it, kept from its answers: 1.6 GetConfiguration and
/// accepted ChangeConfiguration, 2.x GetVariables, accepted SetVariables and NotifyReport (Actual values). It is what
/// the station told us, not a live read: ask with get-configuration (or GetBaseReport) to refresh it.
/// </summary>
public static class ConfigurationSnapshot
{
    /// <summary>Enough for a full 2.x device model; beyond it the oldest entries go.</summary>
    public const int Limit = 5000;

    /// <summary>Applies a finished command's request and answer; other actions change nothing.</summary>
    public static bool ApplyCommand(Dictionary<string, ConfigurationValue> config, string action, string requestJson, string responseJson, DateTimeOffset at)
    {
        // every finished command comes through here: parse only the answers that carry configuration
        if (action is not ("GetConfiguration" or "ChangeConfiguration" or "GetVariables" or "SetVariables"))
        {
            return false;
        }
        using var request = JsonDocument.Parse(requestJson);
        using var response = JsonDocument.Parse(responseJson);
        var changed = action switch
        {
            "GetConfiguration" => GetConfiguration(config, response.RootElement, at),
            "ChangeConfiguration" => ChangeConfiguration(config, request.RootElement, response.RootElement, at),
            "GetVariables" => GetVariables(config, response.RootElement, at),
            "SetVariables" => SetVariables(config, request.RootElement, response.RootElement, at),
            _ => false,
        };
        Trim(config);
        return changed;
    }

    /// <summary>A 2.x NotifyReport part: the Actual value of every reported variable.</summary>
    public static bool ApplyReport(Dictionary<string, ConfigurationValue> config, string notifyReportJson, DateTimeOffset at)
    {
        using var document = JsonDocument.Parse(notifyReportJson);
        var changed = false;
        foreach (var data in Items(document.RootElement, "reportData"))
        {
            foreach (var attribute in Items(data, "variableAttribute"))
            {
                if (Text(attribute, "type") is null or "Actual")
                {
                    var mutability = Text(attribute, "mutability");
                    Set(config, Name(data), Text(attribute, "value"), mutability is null ? null : mutability == "ReadOnly", "NotifyReport", at);
                    changed = true;
                }
            }
        }
        Trim(config);
        return changed;
    }

    private static bool GetConfiguration(Dictionary<string, ConfigurationValue> config, JsonElement response, DateTimeOffset at)
    {
        foreach (var key in Items(response, "configurationKey"))
        {
            Set(config, Text(key, "key") ?? "", Text(key, "value"),
                key.TryGetProperty("readonly", out var ro) && ro.ValueKind is JsonValueKind.True or JsonValueKind.False ? ro.GetBoolean() : null,
                "GetConfiguration", at);
        }
        return true;
    }

    private static bool ChangeConfiguration(Dictionary<string, ConfigurationValue> config, JsonElement request, JsonElement response, DateTimeOffset at)
    {
        if (Text(response, "status") is not ("Accepted" or "RebootRequired") || Text(request, "key") is not { } key)
        {
            return false;
        }
        Set(config, key, Text(request, "value"), null, "ChangeConfiguration", at);
        return true;
    }

    private static bool GetVariables(Dictionary<string, ConfigurationValue> config, JsonElement response, DateTimeOffset at)
    {
        var changed = false;
        foreach (var result in Items(response, "getVariableResult"))
        {
            if (Text(result, "attributeStatus") == "Accepted" && Text(result, "attributeType") is null or "Actual")
            {
                Set(config, Name(result), Text(result, "attributeValue"), null, "GetVariables", at);
                changed = true;
            }
        }
        return changed;
    }

    private static bool SetVariables(Dictionary<string, ConfigurationValue> config, JsonElement request, JsonElement response, DateTimeOffset at)
    {
        var asked = Items(request, "setVariableData").ToArray();
        var changed = false;
        foreach (var result in Items(response, "setVariableResult"))
        {
            if (Text(result, "attributeStatus") is not ("Accepted" or "RebootRequired") || Text(result, "attributeType") is not (null or "Actual"))
            {
                continue;
            }
            var name = Name(result);
            // the answer does not repeat the value: take it from what we asked for
            var value = asked.Where(a => Name(a) == name).Select(a => Text(a, "attributeValue")).FirstOrDefault();
            Set(config, name, value, null, "SetVariables", at);
            changed = true;
        }
        return changed;
    }

    /// <summary>
    /// <c>Component[evse=E,connector=C,instance=I].Variable[instance]</c>, the syntax the get/set-configuration endpoints take.
    /// </summary>
    public static string Name(JsonElement item)
    {
        var name = new StringBuilder();
        if (item.TryGetProperty("component", out var component))
        {
            name.Append(Text(component, "name"));
            var selector = new List<string>();
            if (component.TryGetProperty("evse", out var evse))
            {
                selector.Add(string.Create(CultureInfo.InvariantCulture, $"evse={evse.GetProperty("id").GetInt32()}"));
                if (evse.TryGetProperty("connectorId", out var connector))
                {
                    selector.Add(string.Create(CultureInfo.InvariantCulture, $"connector={connector.GetInt32()}"));
                }
            }
            if (Text(component, "instance") is { } instance)
            {
                selector.Add("instance=" + instance);
            }
            if (selector.Count > 0)
            {
                name.Append('[').AppendJoin(',', selector).Append(']');
            }
        }
        if (item.TryGetProperty("variable", out var variable))
        {
            name.Append('.').Append(Text(variable, "name"));
            if (Text(variable, "instance") is { } variableInstance)
            {
                name.Append('[').Append(variableInstance).Append(']');
            }
        }
        return name.ToString();
    }

    private static void Set(Dictionary<string, ConfigurationValue> config, string name, string? value, bool? readOnly, string source, DateTimeOffset at)
    {
        if (name.Length == 0)
        {
            return;
        }
        // a write says nothing of whether the value is read-only: keep what a read said
        readOnly ??= config.TryGetValue(name, out var previous) ? previous.ReadOnly : null;
        config[name] = new ConfigurationValue(name, value, readOnly, source, at);
    }

    private static void Trim(Dictionary<string, ConfigurationValue> config)
    {
        if (config.Count <= Limit)
        {
            return;
        }
        foreach (var oldest in config.Values.OrderBy(v => v.UpdatedAt).Take(config.Count - Limit).Select(v => v.Name).ToArray())
        {
            config.Remove(oldest);
        }
    }

    private static IEnumerable<JsonElement> Items(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray()
            : [];

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
