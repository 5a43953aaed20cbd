using System.Text.Json;
using Csms.Gateway.Api.Security;
using Csms.Grains.Interfaces.Authorization;
using Csms.Grains.Interfaces.History;
using Csms.Ocpp.Commands;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Csms.Gateway.Api.Commands;

/// <summary>
/// Version-neutral commands: the same request for a 1.6, 2.0.1 or 2.1 station; the translator writes each version's
/// CALL, and a request a version cannot express is answered 422 with what to do instead.
/// </summary>
public static class TypedCommandsApi
{
    /// <summary>A local authorization list built from the id tokens stored through the API.</summary>
    public sealed record LocalListFromIdTokens(string? GroupId, int? ListVersion);

    public static RouteGroupBuilder MapTypedCommandsApi(this RouteGroupBuilder api)
    {
        var station = api.MapGroup("/stations/{stationId}").WithTags("Commands").RequireAuthorization(ApiRoles.Operator);
        Typed<RemoteStartCommand>(station, "remote-start", "RemoteStart", "Starts a transaction (1.6 RemoteStartTransaction, 2.x RequestStartTransaction)");
        Typed<RemoteStopCommand>(station, "remote-stop", "RemoteStop", "Stops a transaction (1.6 RemoteStopTransaction, 2.x RequestStopTransaction)");
        Typed<ResetCommand>(station, "reset", "Reset", "Resets the station: immediate, onIdle (2.x), soft or hard (1.6)");
        Typed<UnlockConnectorCommand>(station, "unlock", "UnlockConnector", "Unlocks a connector");
        Typed<ChangeAvailabilityCommand>(station, "change-availability", "ChangeAvailability", "Makes the station, an EVSE or a connector Operative or Inoperative");
        Typed<GetConfigurationCommand>(station, "get-configuration", "GetConfiguration",
            "Reads configuration: 1.6 keys (GetConfiguration) or 2.x variables (GetVariables); common 1.6 keys are translated for 2.x stations");
        Typed<SetConfigurationCommand>(station, "set-configuration", "SetConfiguration",
            "Changes configuration: 1.6 ChangeConfiguration (one call per key: the answer lists every command) or 2.x SetVariables", alwaysBatch: true);
        Typed<TriggerMessageCommand>(station, "trigger-message", "TriggerMessage", "Asks the station to send a message (1.6 TriggerMessage / ExtendedTriggerMessage, 2.x TriggerMessage)");
        Typed<ClearCacheCommand>(station, "clear-cache", "ClearCache", "Clears the station's authorization cache");
        Typed<DataTransferCommand>(station, "data-transfer", "DataTransfer", "Sends a vendor-specific DataTransfer");
        Typed<UpdateFirmwareCommand>(station, "update-firmware", "UpdateFirmware", "Asks the station to install firmware (1.6 UpdateFirmware / SignedUpdateFirmware, 2.x UpdateFirmware)");
        Typed<GetLogCommand>(station, "get-log", "GetLog", "Asks the station to upload a diagnostics or security log (1.6 GetDiagnostics / GetLog, 2.x GetLog)");
        Typed<SendLocalListCommand>(station, "send-local-list", "SendLocalList", "Sends a local authorization list given in the request");
        Typed<ReserveNowCommand>(station, "reserve", "ReserveNow", "Reserves an EVSE (or the station) for an id token");
        Typed<CancelReservationCommand>(station, "cancel-reservation", "CancelReservation", "Cancels a reservation");
        Typed<SetChargingProfileCommand>(station, "set-charging-profile", "SetChargingProfile", "Installs a charging profile (schedule of limits)");
        Typed<ClearChargingProfileCommand>(station, "clear-charging-profile", "ClearChargingProfile", "Clears charging profiles by id or criteria");
        Typed<GetCompositeScheduleCommand>(station, "composite-schedule", "GetCompositeSchedule", "Asks for the schedule the station will actually follow");
        station.MapPost("/local-list/from-id-tokens", SendLocalListFromIdTokens)
            .WithName("SendLocalListFromIdTokens")
            .WithSummary("Sends a Full local authorization list built from the id tokens stored through the API (optionally one group)")
            .WithDescription("listVersion defaults to the seconds since 2020, so every list sent is newer than the last (D01.FR.18 needs > 0).")
            .Accepts<LocalListFromIdTokens>("application/json")
            .Produces<CommandView>()
            .Produces<CommandView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    private static void Typed<TCommand>(RouteGroupBuilder station, string route, string name, string summary, bool alwaysBatch = false)
        where TCommand : OperatorCommand
    {
        var endpoint = station.MapPost("/" + route, async (string stationId, [AsParameters] CommandSendOptions send, HttpContext http,
                CommandDispatcher dispatcher, IOptions<JsonOptions> json) =>
            {
                TCommand? command;
                try
                {
                    command = await http.Request.ReadFromJsonAsync<TCommand>(json.Value.SerializerOptions, http.RequestAborted);
                }
                catch (JsonException ex)
                {
                    return ApiProblems.BadRequest($"the request body is not a valid {name} request: {ex.Message}");
                }
                catch (InvalidOperationException)
                {
                    return ApiProblems.BadRequest("the request body must be JSON (Content-Type: application/json)");
                }
                return command is null
                    ? ApiProblems.BadRequest($"the request body must be a {name} request object")
                    : await dispatcher.SendAsync(http, stationId, send, version => OcppCommandTranslator.Translate(command, version), alwaysBatch);
            })
            .WithName(name)
            .WithSummary(summary)
            .Accepts<TCommand>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        if (alwaysBatch)
        {
            endpoint.Produces<CommandBatchView>().Produces<CommandBatchView>(StatusCodes.Status202Accepted);
        }
        else
        {
            endpoint.Produces<CommandView>().Produces<CommandView>(StatusCodes.Status202Accepted);
        }
    }

    private static async Task<IResult> SendLocalListFromIdTokens(string stationId, LocalListFromIdTokens? request,
        [AsParameters] CommandSendOptions send, HttpContext http, CommandDispatcher dispatcher, IGrainFactory grains, TimeProvider clock)
    {
        var entries = new List<LocalListEntry>();
        string? cursor = null;
        do
        {
            var page = await grains.GetGrain<IHistoryGrain>(0).ListIdTokens(new IdTokenQuery(request?.GroupId, null, 500, cursor));
            entries.AddRange(page.Items.Select(t => new LocalListEntry
            {
                IdToken = t.IdToken,
                Status = t.Record.Status == IdTokenStatus.Unknown ? "Invalid" : t.Record.Status.ToString(),
                ExpiryDateTime = t.Record.ExpiresAt,
                GroupIdToken = t.Record.GroupId,
            }));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        var listVersion = request?.ListVersion ?? (int)(clock.GetUtcNow() - new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalSeconds;
        var command = new SendLocalListCommand { ListVersion = listVersion, UpdateType = "Full", Entries = entries };
        return await dispatcher.SendAsync(http, stationId, send, version => OcppCommandTranslator.Translate(command, version));
    }
}
