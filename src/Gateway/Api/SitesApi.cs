using Csms.Gateway.Api.Security;
using Csms.Grains.Interfaces.Sites;
using Csms.Grains.Interfaces.Stations;

namespace Csms.Gateway.Api;

/// <summary>Sites: their grid connection, groups and strategy; their EVSEs' settings; external limits; the live allocation.</summary>
public static class SitesApi
{
    /// <summary>
    /// A site's settings. The capacity is given in amperes per phase, or in watts (converted with the phases and the
    /// line voltage, 230 V unless given): exactly one of the two.
    /// </summary>
    public sealed record SiteRequest(
        decimal? CapacityAmps,
        string? Strategy,
        IReadOnlyList<SiteGroup>? Groups,
        decimal? CapacityWatts = null,
        int? Phases = null,
        decimal? Voltage = null,
        int? LeaseSeconds = null,
        decimal? FallbackAmps = null);

    /// <summary>The external limit now (null: none), the PV current available now, and limits to come.</summary>
    public sealed record ExternalLimitRequest(decimal? LimitAmps, decimal? PvAmps, IReadOnlyList<LimitPeriod>? Schedule = null);

    public static RouteGroupBuilder MapSitesApi(this RouteGroupBuilder api)
    {
        var sites = api.MapGroup("/sites/{siteId}").WithTags("Sites");
        sites.MapPut("", Configure)
            .RequireAuthorization(ApiRoles.Admin)
            .WithName("ConfigureSite")
            .WithSummary("Creates or updates a site: capacity (A per phase, or W), phases, strategy (EqualShare, Priority, FirstCome), groups with their own limits, lease and fallback")
            .WithDescription("Stations join a site through their registration (PUT /stations/{id}/registration with site). Their EVSEs then share " +
                "the site's current: limits are pushed as TxDefaultProfile leases (renewed before their validTo), over a fallback profile sent " +
                "when a station connects, lowering before raising so the limit holds at every moment.")
            .Produces<SiteAllocationView>()
            .ProducesValidationProblem();
        sites.MapPut("/evses/{stationId}/{evseId}", SetEvse)
            .RequireAuthorization(ApiRoles.Admin)
            .WithName("SetSiteEvse")
            .WithSummary("An EVSE's group, minimum and maximum current, priority, phases and (for a 1-phase EVSE) the grid phase it is wired to " +
                "(EVSEs join with 6 A / 32 A / priority 0 / 3 phases)")
            .Produces<SiteAllocationView>()
            .ProducesValidationProblem();
        sites.MapPut("/limit", SetLimit)
            .RequireAuthorization(ApiRoles.Operator)
            .WithName("SetSiteLimit")
            .WithSummary("An external limit (e.g. from an energy management system; null removes it), the PV current available now, and a " +
                "schedule of limits to come (each from its start until the next; applied a minute early so EVSEs are lowered in time)")
            .Produces<SiteAllocationView>()
            .ProducesValidationProblem();
        sites.MapGet("", async (string siteId, IGrainFactory grains) => TypedResults.Ok(await grains.GetGrain<ISiteGrain>(siteId).GetAllocation()))
            .WithName("GetSite")
            .WithSummary("The site: its settings, external limit, PV and schedule, what each limit node carries per phase, and the live allocation")
            .Produces<SiteAllocationView>();
        sites.MapGet("/allocation", async (string siteId, IGrainFactory grains) => TypedResults.Ok(await grains.GetGrain<ISiteGrain>(siteId).GetAllocation()))
            .WithName("GetSiteAllocation")
            .WithSummary("The live allocation: per EVSE allowed, in force (accepted), drawn, priority, paused, last push and its outcome")
            .Produces<SiteAllocationView>();
        return api;
    }

    private static async Task<IResult> Configure(string siteId, SiteRequest request, IGrainFactory grains)
    {
        var errors = new Dictionary<string, string[]>();
        var phases = request.Phases ?? 3;
        if (phases is not (1 or 3))
        {
            errors["phases"] = ["1 or 3"];
        }
        var voltage = request.Voltage ?? 230m;
        if (voltage is < 100 or > 1000)
        {
            errors["voltage"] = ["the line-to-neutral voltage, e.g. 230"];
        }
        decimal capacity = 0;
        if ((request.CapacityAmps is null) == (request.CapacityWatts is null))
        {
            errors["capacityAmps"] = ["give the capacity either in amperes per phase (capacityAmps) or in watts (capacityWatts)"];
        }
        else
        {
            // watts over the phases at the line voltage, down to the 0.1 A the profiles carry
            capacity = request.CapacityAmps ?? Math.Floor(request.CapacityWatts!.Value / (phases * voltage) * 10) / 10;
            if (capacity <= 0 || capacity > 100_000)
            {
                errors[request.CapacityAmps is null ? "capacityWatts" : "capacityAmps"] = ["the grid connection's capacity, more than 0 (and at most 100000 A per phase)"];
            }
        }
        if (request.LeaseSeconds < SiteSettings.MinLeaseSeconds)
        {
            errors["leaseSeconds"] = [$"at least {SiteSettings.MinLeaseSeconds} (default {SiteSettings.DefaultLeaseSeconds})"];
        }
        if (request.FallbackAmps < 0)
        {
            errors["fallbackAmps"] = ["0 A or more (or absent: the capacity shared equally among the site's EVSEs)"];
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
            await grain.Configure(new SiteSettings(capacity, strategy, request.Groups ?? [], phases,
                request.LeaseSeconds ?? SiteSettings.DefaultLeaseSeconds, request.FallbackAmps));
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
        if (request.Phase is not (null or "L1" or "L2" or "L3") || (request.Phase is not null && request.Phases != 1))
        {
            errors["phase"] = ["L1, L2 or L3: the grid phase a single-phase EVSE (phases 1) is wired to; absent when not known"];
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
        var errors = new Dictionary<string, string[]>();
        if (request.LimitAmps < 0)
        {
            errors["limitAmps"] = ["0 A or more, or null for no external limit"];
        }
        if (request.PvAmps < 0)
        {
            errors["pvAmps"] = ["0 A or more"];
        }
        if (request.Schedule is { } schedule)
        {
            if (schedule.Count > 1000)
            {
                errors["schedule"] = ["at most 1000 periods"];
            }
            else if (schedule.FirstOrDefault(p => p.LimitAmps < 0) is { } negative)
            {
                errors["schedule"] = [$"the period from {negative.From:O} has a negative limit"];
            }
            else if (schedule.GroupBy(p => p.From).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                errors["schedule"] = [$"two periods start at {twice.Key:O}"];
            }
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var grain = grains.GetGrain<ISiteGrain>(siteId);
        await grain.SetExternalLimit(request.LimitAmps, request.PvAmps ?? 0, request.Schedule);
        return TypedResults.Ok(await grain.GetAllocation());
    }
}
