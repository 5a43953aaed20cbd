using System.Text.Json;
using System.Text.Json.Nodes;
using Csms.Gateway.Api.Security;
using Csms.Grains.Interfaces.History;
using Csms.Grains.Interfaces.Stations;
using Csms.Ocpp.Commands;

namespace Csms.Gateway.Api.Commands;

/// <summary>The generic command endpoint and the command list, status and cancel endpoints of a station.</summary>
public static class CommandsApi
{
    public static RouteGroupBuilder MapCommandsApi(this RouteGroupBuilder api)
    {
        var commands = api.MapGroup("/stations/{stationId}/commands").WithTags("Commands");
        commands.MapPost("", SendGeneric)
            .RequireAuthorization(ApiRoles.Operator)
            .WithName("SendCommand")
            .WithSummary("Sends any CSMS-initiated action of the station's OCPP version")
            .WithDescription("The payload is validated against the station's negotiated version's schema, then queued in the station's " +
                "durable outbox: 202 with the command id at once, or the outcome with ?wait=. One CALL is outstanding per station at a time.")
            .Produces<CommandView>()
            .Produces<CommandView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        commands.MapGet("", List)
            .WithName("ListCommands")
            .WithSummary("The station's queued and in-flight commands, then its command history, newest first")
            .Produces<CommandList>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        commands.MapGet("/{commandId}", Get)
            .WithName("GetCommand")
            .WithSummary("One command's state: Queued, Sent, Accepted, Rejected, CallError, TimedOut, Cancelled or Expired")
            .Produces<CommandView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        commands.MapDelete("/{commandId}", Cancel)
            .RequireAuthorization(ApiRoles.Operator)
            .WithName("CancelCommand")
            .WithSummary("Cancels a command that is still queued")
            .Produces<CommandView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    /// <summary>Live commands (queued, sent) and a page of the history.</summary>
    public sealed record CommandList(IReadOnlyList<CommandView> Pending, IReadOnlyList<CommandView> History, string? NextCursor);

    private static Task<IResult> SendGeneric(string stationId, GenericCommand command, [AsParameters] CommandSendOptions send,
        HttpContext http, CommandDispatcher dispatcher)
    {
        if (string.IsNullOrWhiteSpace(command.Action))
        {
            return Task.FromResult(ApiProblems.BadRequest("action is required, e.g. \"Reset\""));
        }
        if (command.Payload.ValueKind != JsonValueKind.Object)
        {
            return Task.FromResult(ApiProblems.BadRequest("payload must be a JSON object (the OCPP request's payload, {} if it has no fields)"));
        }
        var call = new OcppCall(command.Action.Trim(), JsonNode.Parse(command.Payload.GetRawText())!.AsObject());
        return dispatcher.SendAsync(http, stationId, send, _ => CommandTranslation.Of(call));
    }

    private static async Task<IResult> List(string stationId, string? action, int? limit, string? cursor, IGrainFactory grains)
    {
        if (!StationIdentity.TryCanonicalize(stationId, out var canonical, out var problem))
        {
            return ApiProblems.BadRequest(problem);
        }
        var snapshot = await grains.GetGrain<IChargingStationGrain>(canonical).GetSnapshot();
        var pending = cursor is null
            ? snapshot.Commands.Where(c => !c.IsFinal && (action is null || c.Action == action)).Select(c => CommandView.From(canonical, c)).ToArray()
            : [];
        return await Paging.Run(async () =>
        {
            var page = await grains.GetGrain<IHistoryGrain>(0).ListCommands(new CommandQuery(canonical, action, limit ?? 50, cursor));
            return TypedResults.Ok(new CommandList(pending, page.Items.Select(c => CommandView.From(canonical, c.Command)).ToArray(), page.NextCursor));
        });
    }

    private static async Task<IResult> Get(string stationId, string commandId, IGrainFactory grains)
    {
        if (!StationIdentity.TryCanonicalize(stationId, out var canonical, out var problem))
        {
            return ApiProblems.BadRequest(problem);
        }
        return await grains.GetGrain<IChargingStationGrain>(canonical).GetCommand(commandId) is { } status
            ? TypedResults.Ok(CommandView.From(canonical, status))
            : ApiProblems.NotFound($"station '{canonical}' has no recent command '{commandId}' (older ones are in GET .../commands)");
    }

    private static async Task<IResult> Cancel(string stationId, string commandId, IGrainFactory grains)
    {
        if (!StationIdentity.TryCanonicalize(stationId, out var canonical, out var problem))
        {
            return ApiProblems.BadRequest(problem);
        }
        if (await grains.GetGrain<IChargingStationGrain>(canonical).CancelCommand(commandId) is not { } result)
        {
            return ApiProblems.NotFound($"station '{canonical}' has no recent command '{commandId}'");
        }
        return result.Cancelled
            ? TypedResults.Ok(CommandView.From(canonical, result.Command))
            : ApiProblems.Conflict($"command '{commandId}' is {result.Command.State}, not Queued: only a queued command can be cancelled");
    }
}
