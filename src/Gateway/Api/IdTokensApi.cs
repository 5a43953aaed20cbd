using Csms.Gateway.Api.Security;
using Csms.Grains.Interfaces.Authorization;
using Csms.Grains.Interfaces.History;

namespace Csms.Gateway.Api;

/// <summary>Id tokens (RFID uids, eMAIDs, …): what Authorize and transactions are checked against, and what local lists are built from.</summary>
public static class IdTokensApi
{
    public sealed record IdTokenRequest(IdTokenStatus Status, DateTimeOffset? ExpiresAt, string? GroupId);

    /// <summary>A token: what was stored through the API (null if nothing), and what Authorize answers now.</summary>
    public sealed record IdTokenView(string IdToken, IdTokenRecord? Stored, IdTokenDecision Effective);

    public static RouteGroupBuilder MapIdTokensApi(this RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/id-tokens").WithTags("Id tokens");
        tokens.MapGet("", List)
            .WithName("ListIdTokens")
            .WithSummary("Id tokens stored through the API, by token, optionally of one group or status (configured tokens are not listed)")
            .Produces<Page<IdTokenEntry>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        tokens.MapGet("/{idToken}", Get)
            .WithName("GetIdToken")
            .WithSummary("One id token: its stored record and what Authorize answers for it now")
            .Produces<IdTokenView>();
        tokens.MapPut("/{idToken}", Put)
            .RequireAuthorization(ApiRoles.Admin)
            .WithName("SetIdToken")
            .WithSummary("Creates or updates an id token: status (Accepted, Blocked, Expired, Invalid), expiry, group")
            .Produces<IdTokenView>()
            .ProducesValidationProblem();
        tokens.MapDelete("/{idToken}", Delete)
            .RequireAuthorization(ApiRoles.Admin)
            .WithName("DeleteIdToken")
            .WithSummary("Deletes a stored id token; a configured one falls back to its configuration, others to the unknown-token policy")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> List(string? group, IdTokenStatus? status, int? limit, string? cursor, IGrainFactory grains) =>
        await Paging.Run(async () => TypedResults.Ok(await grains.GetGrain<IHistoryGrain>(0).ListIdTokens(new IdTokenQuery(group, status, limit ?? 100, cursor))));

    private static async Task<IResult> Get(string idToken, IGrainFactory grains)
    {
        if (Problem(idToken) is { } problem)
        {
            return ApiProblems.BadRequest(problem);
        }
        var grain = Grain(grains, idToken);
        return TypedResults.Ok(new IdTokenView(Canonical(idToken), await grain.Get(), await grain.Authorize()));
    }

    private static async Task<IResult> Put(string idToken, IdTokenRequest request, IGrainFactory grains)
    {
        var errors = new Dictionary<string, string[]>();
        if (Problem(idToken) is { } problem)
        {
            errors["idToken"] = [problem];
        }
        if (request.Status == IdTokenStatus.Unknown)
        {
            errors["status"] = ["Unknown is what an unstored token is; store Accepted, Blocked, Expired or Invalid, or delete the token"];
        }
        if (request.GroupId is { Length: > 36 })
        {
            errors["groupId"] = ["at most 36 characters (OCPP 2.0.1 IdTokenType)"];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var grain = Grain(grains, idToken);
        await grain.Set(new IdTokenRecord(request.Status, request.ExpiresAt, request.GroupId));
        return TypedResults.Ok(new IdTokenView(Canonical(idToken), await grain.Get(), await grain.Authorize()));
    }

    private static async Task<IResult> Delete(string idToken, IGrainFactory grains)
    {
        if (Problem(idToken) is { } problem)
        {
            return ApiProblems.BadRequest(problem);
        }
        return await Grain(grains, idToken).Remove()
            ? TypedResults.NoContent()
            : ApiProblems.NotFound($"id token '{Canonical(idToken)}' is not stored (configured tokens are changed in the configuration)");
    }

    /// <summary>1.6 idTag is at most 20 characters, 2.0.1 idToken 36, 2.1 255: the API takes up to 255 printable characters.</summary>
    private static string? Problem(string idToken) =>
        idToken.Length is 0 or > 255 || idToken.Any(char.IsControl) ? "an id token is 1 to 255 printable characters" : null;

    private static string Canonical(string idToken) => Grains.Authorization.IdTokenGrain.Canonical(idToken);

    private static IIdTokenGrain Grain(IGrainFactory grains, string idToken) => grains.GetGrain<IIdTokenGrain>(Canonical(idToken));
}
