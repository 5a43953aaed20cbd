using System.Text.Json.Nodes;
using Csms.Ocpp;
using Csms.Ocpp.Framing;

namespace Csms.LoadTest;

/// <summary>How a virtual station answers the CSMS: as a cooperative real station would, for the common commands.</summary>
public static class CsmsCalls
{
    public static string Answer(CallFrame call, OcppVersion version)
    {
        JsonNode? payload = call.Action switch
        {
            "RemoteStartTransaction" or "RemoteStopTransaction" or "RequestStartTransaction" or "RequestStopTransaction"
                or "Reset" or "ChangeAvailability" or "ChangeConfiguration" or "ClearCache" or "TriggerMessage"
                or "SetChargingProfile" or "ClearChargingProfile" or "UnlockConnector" or "CancelReservation" or "ReserveNow"
                or "SendLocalList" or "UpdateFirmware" or "GetLog" => Status(call.Action, version),
            "GetConfiguration" => new JsonObject { ["configurationKey"] = new JsonArray(), ["unknownKey"] = new JsonArray() },
            "GetLocalListVersion" => new JsonObject { ["listVersion"] = 0 },
            "DataTransfer" => new JsonObject { ["status"] = "UnknownVendorId" },
            "GetVariables" => new JsonObject { ["getVariableResult"] = Results(call, "getVariableData", "UnknownComponent") },
            "SetVariables" => new JsonObject { ["setVariableResult"] = Results(call, "setVariableData", "Accepted") },
            _ => null,
        };
        return payload is null
            ? OcppFrameWriter.CallError(call.MessageId, OcppErrorCode.NotSupported, $"{call.Action} is not simulated", version)
            : OcppFrameWriter.CallResult(call.MessageId, payload.ToJsonString());
    }

    private static JsonObject Status(string action, OcppVersion version) => action switch
    {
        "UnlockConnector" => new JsonObject { ["status"] = "Unlocked" },
        "UpdateFirmware" when version == OcppVersion.V16 => [],
        "GetLog" => new JsonObject { ["status"] = "Accepted" },
        _ => new JsonObject { ["status"] = "Accepted" },
    };

    private static JsonArray Results(CallFrame call, string listName, string status)
    {
        var results = new JsonArray();
        if (call.Payload.TryGetProperty(listName, out var list))
        {
            foreach (var item in list.EnumerateArray())
            {
                results.Add(new JsonObject
                {
                    ["attributeStatus"] = status,
                    ["component"] = JsonNode.Parse(item.GetProperty("component").GetRawText()),
                    ["variable"] = JsonNode.Parse(item.GetProperty("variable").GetRawText()),
                });
            }
        }
        return results;
    }
}
