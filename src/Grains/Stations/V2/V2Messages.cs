using System.Text.Json.Serialization;

namespace Csms.Grains.Stations.V2;

// Version-neutral read models of the 2.0.1 / 2.1 station messages we handle. 2.1 extends these messages (new
// fields, new enum values), so they are read with enums as strings and only the fields we use; payloads are
// schema-validated against the connection's own version before they get here. Answers use the generated models.

public sealed record V2BootNotification(
    [property: JsonPropertyName("chargingStation")] V2ChargingStation ChargingStation,
    [property: JsonPropertyName("reason")] string Reason);

public sealed record V2ChargingStation(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("vendorName")] string VendorName,
    [property: JsonPropertyName("serialNumber")] string? SerialNumber,
    [property: JsonPropertyName("firmwareVersion")] string? FirmwareVersion);

public sealed record V2StatusNotification(
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("connectorStatus")] string ConnectorStatus,
    [property: JsonPropertyName("evseId")] int EvseId,
    [property: JsonPropertyName("connectorId")] int ConnectorId);

public sealed record V2IdToken(
    [property: JsonPropertyName("idToken")] string IdToken,
    [property: JsonPropertyName("type")] string Type);

public sealed record V2Authorize([property: JsonPropertyName("idToken")] V2IdToken IdToken);

public sealed record V2TransactionEvent(
    [property: JsonPropertyName("eventType")] string EventType,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("triggerReason")] string TriggerReason,
    [property: JsonPropertyName("seqNo")] int SeqNo,
    [property: JsonPropertyName("offline")] bool? Offline,
    [property: JsonPropertyName("transactionInfo")] V2TransactionInfo TransactionInfo,
    [property: JsonPropertyName("idToken")] V2IdToken? IdToken,
    [property: JsonPropertyName("evse")] V2Evse? Evse,
    [property: JsonPropertyName("meterValue")] IReadOnlyList<V2MeterValue>? MeterValue);

public sealed record V2TransactionInfo(
    [property: JsonPropertyName("transactionId")] string TransactionId,
    [property: JsonPropertyName("chargingState")] string? ChargingState,
    [property: JsonPropertyName("stoppedReason")] string? StoppedReason);

public sealed record V2Evse(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("connectorId")] int? ConnectorId);

public sealed record V2MeterValue(
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("sampledValue")] IReadOnlyList<V2SampledValue> SampledValue);

public sealed record V2SampledValue(
    [property: JsonPropertyName("value")] decimal Value,
    [property: JsonPropertyName("measurand")] string? Measurand,
    [property: JsonPropertyName("context")] string? Context,
    [property: JsonPropertyName("phase")] string? Phase,
    [property: JsonPropertyName("location")] string? Location,
    [property: JsonPropertyName("unitOfMeasure")] V2UnitOfMeasure? UnitOfMeasure);

public sealed record V2UnitOfMeasure(
    [property: JsonPropertyName("unit")] string? Unit,
    [property: JsonPropertyName("multiplier")] int? Multiplier);

public sealed record V2MeterValues(
    [property: JsonPropertyName("evseId")] int EvseId,
    [property: JsonPropertyName("meterValue")] IReadOnlyList<V2MeterValue> MeterValue);

public sealed record V2SecurityEventNotification(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("techInfo")] string? TechInfo);

public sealed record V2NotifyEvent(
    [property: JsonPropertyName("generatedAt")] DateTimeOffset GeneratedAt,
    [property: JsonPropertyName("seqNo")] int SeqNo,
    [property: JsonPropertyName("eventData")] IReadOnlyList<V2EventData> EventData);

public sealed record V2EventData(
    [property: JsonPropertyName("eventId")] int EventId,
    [property: JsonPropertyName("trigger")] string Trigger,
    [property: JsonPropertyName("actualValue")] string ActualValue,
    [property: JsonPropertyName("component")] V2Named Component,
    [property: JsonPropertyName("variable")] V2Named Variable);

public sealed record V2Named([property: JsonPropertyName("name")] string Name);

public sealed record V2NotifyReport(
    [property: JsonPropertyName("requestId")] int RequestId,
    [property: JsonPropertyName("generatedAt")] DateTimeOffset GeneratedAt,
    [property: JsonPropertyName("seqNo")] int SeqNo,
    [property: JsonPropertyName("tbc")] bool? Tbc);

public sealed record V2StatusWithRequest(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("requestId")] int? RequestId);

public sealed record V2DataTransfer(
    [property: JsonPropertyName("vendorId")] string VendorId,
    [property: JsonPropertyName("messageId")] string? MessageId);

[JsonSerializable(typeof(V2BootNotification))]
[JsonSerializable(typeof(V2StatusNotification))]
[JsonSerializable(typeof(V2Authorize))]
[JsonSerializable(typeof(V2TransactionEvent))]
[JsonSerializable(typeof(V2MeterValues))]
[JsonSerializable(typeof(V2SecurityEventNotification))]
[JsonSerializable(typeof(V2NotifyEvent))]
[JsonSerializable(typeof(V2NotifyReport))]
[JsonSerializable(typeof(V2StatusWithRequest))]
[JsonSerializable(typeof(V2DataTransfer))]
internal sealed partial class V2ReadContext : JsonSerializerContext;
