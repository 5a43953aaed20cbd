using Csms.Gateway.Api.Security;
using Csms.Grains.Interfaces.Sites;
using Csms.Grains.Interfaces.Stations;

namespace Csms.Gateway.Api;

/// <summary>Sites: their grid connection, groups and strategy; their EVSEs' settings; external limits; the live allocation.</summary>
public static class SitesApi
{
    public sealed record SiteRequest(decimal CapacityAmps, string? Strategy, IReadOnlyList<SiteGroup>? Groups);

    public sealed record ExternalLimitRequest(decimal? LimitAmps, decimal? PvAmps);

    public static RouteGroupBuilder MapSitesApi(this RouteGroupBuilder api)
    {
        var sites = api.MapGroup("/sites/{siteId}").WithTags("Sites");
        sites.MapPut("", Configure)
            .RequireAuthorization(ApiRoles.Admin)
            .WithName("ConfigureSite")
            .WithSummary("Creates or updates a site: capacity (A per phase), strategy (EqualShare, Priority, FirstCome), groups with their own limits")
            .WithDescription("Stations join a site through their registration (PUT /stations/{id}/registration with site). Their EVSEs then share " +
                "the site's current: limits are pushed as TxDefaultProfile, lowering before raising so the limit holds at every moment.")
            .Produces<SiteAllocationView>()
            .ProducesValidationProblem();
        sites.MapPut("/evses/{stationId}/{evseId}", SetEvse)
            .RequireAuthorization(ApiRoles.Admin)
            .WithName("SetSiteEvse")
            .WithSummary("An EVSE's group, minimum and maximum current, priority and phases (EVSEs join with 6 A / 32 A / priority 0 / 3 phases)")
            .Produces<SiteAllocationView>()
            .ProducesValidationProblem();
        sites.MapPut("/limit", SetLimit)
            .RequireAuthorization(ApiRoles.Operator)
            .WithName("SetSiteLimit")
            .WithSummary("An external limit (e.g. from an energy management system; null removes it) and the PV current available now")
            .Produces<SiteAllocationView>()
            .ProducesValidationProblem();
        sites.MapGet("/allocation", async (string siteId, IGrainFactory grains) => TypedResults.Ok(await grains.GetGrain<ISiteGrain>(siteId).GetAllocation()))
            .WithName("GetSiteAllocation")
            .WithSummary("The live allocation: per EVSE allowed, in force (accepted), drawn, priority, paused, last push and its outcome")
            .Produces<SiteAllocationView>();
        return api;
    }

    private static async Task<IResult> Configure(string siteId, SiteRequest request, IGrainFactory grains)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.CapacityAmps <= 0 || request.CapacityAmps > 100_000)
        {
            errors["capacityAmps"] = ["the grid connection's current per phase, more than 0"];
        }
        var strategy = request.Strategy ?? "EqualShare";
        if (strategy is not ("EqualShare" or "Priority" or "FirstCome"))
        {
            errors["strategy"] = ["EqualShare, Priority or FirstCome"];
        }
        if (request.Groups?.FirstOrDefault(g => g.LimitAmps < 0 || string.IsNullOrWhiteSpace(g.Id)) is { } bad)
        {
            errors["groups"] = [$"group '{bad.Id}': every group needs an id and a limit of 0 A or more"];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var grain = grains.GetGrain<ISiteGrain>(siteId);
        try
        {
            await grain.Configure(new SiteSettings(request.CapacityAmps, strategy, request.Groups ?? []));
        }
        catch (ArgumentException ex)
        {
            return ApiProblems.BadRequest(ex);
        }
        return TypedResults.Ok(await grain.GetAllocation());
    }

    private static async Task<IResult> SetEvse(string siteId, string stationId, int evseId, SiteEvseSettings request, IGrainFactory grains)
    {
        if (!StationIdentity.TryCanonicalize(stationId, out var canonical, out var problem))
        {
            return ApiProblems.BadRequest(problem);
        }
        var errors = new Dictionary<string, string[]>();
        if (evseId < 1)
        {
            errors["evseId"] = ["1 or more"];
        }
        if (request.MinAmps < 0 || request.MaxAmps < request.MinAmps)
        {
            errors["maxAmps"] = ["at least minAmps, which is 0 or more"];
        }
        if (request.Phases is not (1 or 3))
        {
            errors["phases"] = ["1 or 3"];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var grain = grains.GetGrain<ISiteGrain>(siteId);
        try
        {
            await grain.SetEvse(canonical, evseId, request);
        }
        catch (ArgumentException ex)
        {
            return ApiProblems.BadRequest(ex);
        }
        return TypedResults.Ok(await grain.GetAllocation());
    }

    private static async Task<IResult> SetLimit(string siteId, ExternalLimitRequest request, IGrainFactory grains)
    {
        if (request.LimitAmps < 0 || request.PvAmps < 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limitAmps"] = ["limitAmps and pvAmps are 0 or more"] });
        }
        var grain = grains.GetGrain<ISiteGrain>(siteId);
        await grain.SetExternalLimit(request.LimitAmps, request.PvAmps ?? 0);
        return TypedResults.Ok(await grain.GetAllocation());
    }
}
