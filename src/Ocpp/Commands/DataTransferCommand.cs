using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>A vendor-specific message: DataTransfer in every version.</summary>
public sealed record DataTransferCommand : OperatorCommand
{
    /// <summary>Identifies the vendor-specific implementation, e.g. a reversed DNS name.</summary>
    public required string VendorId { get; init; }

    public string? MessageId { get; init; }

    /// <summary>
    /// Any JSON. 2.x carries it as is; 1.6 data is a string, so a JSON string is sent as its text and any other JSON
    /// (object, array, number, boolean) as its serialized JSON text.
    /// </summary>
    public JsonNode? Data { get; init; }

    internal override IReadOnlyList<OcppCall> ToCalls(OcppVersion version)
    {
        if (string.IsNullOrEmpty(VendorId))
        {
            throw JsonPayload.Required("vendorId", "the vendor whose extension this message belongs to");
        }
        JsonNode? data = version == OcppVersion.V16
            ? Data switch
            {
                null => null,
                JsonValue value when value.TryGetValue<string>(out var text) => text,
                _ => Data.ToJsonString(),
            }
            : Data?.DeepClone(); // the command keeps its own node: a JsonNode has only one parent
        return [new OcppCall("DataTransfer", new JsonObject { ["vendorId"] = VendorId }.Put("messageId", MessageId).Put("data", data))];
    }
}
