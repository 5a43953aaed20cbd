using System.Text.Json;

namespace Csms.Grains.Stations;

/// <summary>Reads a station's answer to a CSMS-initiated call as accepted or rejected.</summary>
public static class CommandOutcomes
{
    // the status values across 1.6 and 2.x that mean "done" or "will do"; everything else (Rejected, NotSupported,
    // Failed, UnknownConnector, UnlockFailed, Occupied, …) is a refusal
    private static readonly HashSet<string> Positive = ["Accepted", "Scheduled", "RebootRequired", "Unlocked", "AcceptedCanceled"];

    // answers that report per item instead of one status: the list and the item's status field
    private static readonly Dictionary<string, (string List, string Status)> PerItem = new(StringComparer.Ordinal)
    {
        ["SetVariables"] = ("setVariableResult", "attributeStatus"),
        ["SetVariableMonitoring"] = ("setMonitoringResult", "status"),
        ["ClearVariableMonitoring"] = ("clearMonitoringResult", "status"),
    };

    /// <summary>A response without a status field (GetConfiguration, GetLocalListVersion…) is an accepted answer.</summary>
    private static bool IsPositive(string? status) => status is null || Positive.Contains(status);

    /// <summary>
    /// Accepted when the answer's status is positive; for answers with a result per item (2.x SetVariables…), only
    /// when every item is: the same "set configuration" must read the same for a 1.6 and a 2.x station.
    /// </summary>
    public static bool IsPositive(string action, JsonElement response)
    {
        if (PerItem.TryGetValue(action, out var items) && response.TryGetProperty(items.List, out var list) && list.ValueKind == JsonValueKind.Array)
        {
            return list.EnumerateArray().All(item =>
                item.TryGetProperty(items.Status, out var s) && s.ValueKind == JsonValueKind.String && Positive.Contains(s.GetString()!));
        }
        var status = response.TryGetProperty("status", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return IsPositive(status);
    }
}
