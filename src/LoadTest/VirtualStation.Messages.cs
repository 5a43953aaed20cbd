using System.Globalization;
using System.Text.Json.Nodes;
using Csms.Ocpp;

namespace Csms.LoadTest;

/// <summary>The payloads a virtual station sends, in the shape of its OCPP version.</summary>
public sealed partial class VirtualStation
{
    private JsonObject BootPayload(string reason) => _version == OcppVersion.V16
        ? new JsonObject { ["chargePointVendor"] = "LoadTest", ["chargePointModel"] = "Virtual", ["chargePointSerialNumber"] = _id }
        : new JsonObject
        {
            ["reason"] = reason,
            ["chargingStation"] = new JsonObject { ["vendorName"] = "LoadTest", ["model"] = "Virtual", ["serialNumber"] = _id },
        };

    private JsonObject Status(string status) => _version == OcppVersion.V16
        ? new JsonObject { ["connectorId"] = 1, ["errorCode"] = "NoError", ["status"] = status, ["timestamp"] = Now() }
        : new JsonObject { ["timestamp"] = Now(), ["connectorStatus"] = status, ["evseId"] = 1, ["connectorId"] = 1 };

    private static JsonObject IdToken(string idToken) => new() { ["idToken"] = idToken, ["type"] = "ISO14443" };

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
