using System.Text.Json;
using Csms.Grains.Interfaces.Stations;

namespace Csms.Gateway.Api.Commands;

/// <summary>A command as the API shows it: payload and response as JSON, not as strings.</summary>
public sealed record CommandView(
    string CommandId,
    string StationId,
    string Action,
    CommandState State,
    DateTimeOffset QueuedAt,
    DateTimeOffset? SentAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? ExpiresAt,
    double TimeoutSeconds,
    string? RequestedBy,
    JsonElement Payload,
    JsonElement? Response,
    string? ErrorCode,
    string? ErrorDescription)
{
    public static CommandView From(string stationId, CommandStatus c) => new(
        c.CommandId, stationId, c.Action, c.State, c.QueuedAt, c.SentAt, c.CompletedAt, c.ExpiresAt, c.Timeout.TotalSeconds, c.RequestedBy,
        Json(c.PayloadJson) ?? default, Json(c.ResponseJson), c.ErrorCode, c.ErrorDescription);

    private static JsonElement? Json(string? text)
    {
        if (text is null)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // a station's response that is not JSON is kept as the text it sent
            return JsonSerializer.SerializeToElement(text);
        }
    }
}

/// <summary>The answer of a typed endpoint that may need more than one OCPP call (1.6 ChangeConfiguration takes one key per call).</summary>
public sealed record CommandBatchView(IReadOnlyList<CommandView> Commands);

/// <summary>A generic command: any CSMS-initiated action of the station's OCPP version, with its payload.</summary>
public sealed record GenericCommand(string Action, JsonElement Payload);
