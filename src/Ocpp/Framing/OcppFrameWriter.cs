using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Csms.Ocpp.Framing;

/// <summary>Writes OCPP-J frames. Payloads are JSON text produced by our own serializers and written verbatim.</summary>
public static class OcppFrameWriter
{
    public static string Call(string messageId, string action, string payloadJson) =>
        Write(w =>
        {
            w.WriteNumberValue((int)OcppMessageType.Call);
            w.WriteStringValue(messageId);
            w.WriteStringValue(action);
            w.WriteRawValue(payloadJson, skipInputValidation: false);
        });

    public static string CallResult(string messageId, string payloadJson) =>
        Write(w =>
        {
            w.WriteNumberValue((int)OcppMessageType.CallResult);
            w.WriteStringValue(messageId);
            w.WriteRawValue(payloadJson, skipInputValidation: false);
        });

    /// <summary>CALLERROR (or 2.1 CALLRESULTERROR) with the version's spelling; the description is clipped to 255 characters.</summary>
    public static string CallError(string messageId, OcppErrorCode code, string description, OcppVersion version,
        OcppMessageType type = OcppMessageType.CallError) =>
        Write(w =>
        {
            w.WriteNumberValue((int)type);
            w.WriteStringValue(messageId);
            w.WriteStringValue(code.Spelling(version));
            w.WriteStringValue(OcppErrorCodes.Clip(description));
            w.WriteStartObject();
            w.WriteEndObject();
        });

    public static string Error(FrameError error, OcppVersion version) =>
        CallError(error.MessageId, error.Code, error.Description, version,
            error.Reply == FrameErrorReply.CallResultError ? OcppMessageType.CallResultError : OcppMessageType.CallError);

    private static string Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            body(writer);
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
