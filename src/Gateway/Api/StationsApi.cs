using Csms.Gateway.Api.Commands;
using Csms.Gateway.Api.Security;
using Csms.Ocpp.Commands;
using Csms.Grains.Interfaces.History;
using Csms.Grains.Interfaces.Registration;
using Csms.Grains.Interfaces.Stations;
using Csms.Grains.Interfaces.Transactions;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Csms.Gateway.Api;

/// <summary>Stations: the list (registry), one station's live state (its grain), and registration management (admin).</summary>
public static class StationsApi
{
    /// <summary>A registration as an operator sets it. The password is hashed here and never stored or shown.</summary>
    public sealed record StationRegistrationRequest(string? Site, string? Description, int? SecurityProfile, string? Password);

    public sealed record StationRegistrationView(string StationId, string? Site, string? Description, int SecurityProfile, bool HasPassword,
        DateTimeOffset? RegisteredAt);

    public sealed record RegistrationPolicyView(RegistrationPolicy Policy);

    public sealed record RegistrationPolicyRequest(RegistrationPolicy? Policy);

    public static RouteGroupBuilder MapStationsApi(this RouteGroupBuilder api)
    {
        var stations = api.MapGroup("/stations").WithTags("Stations");
        stations.MapGet("", List)
            .WithName("ListStations")
            .WithSummary("Stations from the registry, by id, with filters and paging")
            .WithDescription("Filters: site, connected, registration (Accepted, Pending, Rejected, Unknown), version (1.6, 2.0.1, 2.1), vendor, " +
                "model. limit 1..500 (default 100); pass nextCursor back as cursor for the next page.")
            .Produces<Page<StationSummary>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        stations.MapGet("/{stationId}", GetStation)
            .WithName("GetStation")
            .WithSummary("One station's live state")
            .WithDescription("Registration, boot information, connection, EVSEs and connectors, active and recent transactions, commands and recent events, from the station's grain.")
            .Produces<StationSnapshot>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        stations.MapGet("/{stationId}/transactions/active", ActiveTransactions)
            .WithTags("Transactions")
            .WithName("ListActiveTransactions")
            .WithSummary("The station's transactions in progress, live from its EVSE grains")
            .Produces<TransactionSnapshot[]>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        stations.MapGet("/{stationId}/configuration", GetConfiguration)
            .WithName("GetStationConfiguration")
            .WithSummary("The station's configuration / device model as it last reported it (1.6 keys, 2.x Component.Variable names)")
            .WithDescription("Kept from the station's answers to get-configuration and set-configuration and, for 2.x, its NotifyReport " +
                "(send GetBaseReport through POST .../commands for the whole device model). Each value says where it came from and when.")
            .Produces<ConfigurationValue[]>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        stations.MapGet("/{stationId}/registration", GetRegistration)
            .WithName("GetStationRegistration")
            .WithSummary("What an operator registered about the station")
            .Produces<StationRegistrationView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        stations.MapPut("/{stationId}/registration", Register)
            .RequireAuthorization(ApiRoles.Admin)
            .WithName("RegisterStation")
            .WithSummary("Registers a station or updates its registration: site, description, security profile, password")
            .WithDescription("A registered station is known: it is accepted at boot under every registration policy. Fields left out keep their value. " +
                "Lowering the security profile is a 409 unless ?allowDowngrade=true.")
            .Produces<StationRegistrationView>()
            .ProducesValidationProblem();
        stations.MapPost("/{stationId}/approve", (string stationId, IGrainFactory grains) => Decide(stationId, RegistrationStatus.Accepted, grains))
            .RequireAuthorization(ApiRoles.Admin)
            .WithName("ApproveStation")
            .WithSummary("Accepts a station (e.g. one that is Pending); it is Accepted at its next BootNotification")
            .Produces(StatusCodes.Status204NoContent);
        stations.MapPost("/{stationId}/reject", (string stationId, IGrainFactory grains) => Decide(stationId, RegistrationStatus.Rejected, grains))
            .RequireAuthorization(ApiRoles.Admin)
            .WithName("RejectStation")
            .WithSummary("Rejects a station at its next BootNotification; nothing is sent to it meanwhile (B03.FR.03)")
            .Produces(StatusCodes.Status204NoContent);
        stations.MapPost("/{stationId}/password", ChangePassword)
            .RequireAuthorization(ApiRoles.Admin)
            .WithName("ChangeStationPassword")
            .WithSummary("Give a profile 1/2 station a new Basic-auth password over OCPP (2.x SetVariables SecurityCtrlr.BasicAuthPassword, " +
                "1.6 ChangeConfiguration AuthorizationKey). The old password stays valid until the station accepts (A01.FR.03/04). " +
                "Without a body password one is generated (40 hex digits) and returned this once.")
            .Accepts<StationPasswordRequest>("application/json")
            .Produces<PasswordChangeView>()
            .Produces<PasswordChangeView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        stations.MapDelete("/{stationId}", Remove)
            .RequireAuthorization(ApiRoles.Admin)
            .WithName("RemoveStation")
            .WithSummary("Forgets a station: registration, live state, queued commands (history stays); a live connection is closed")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/registration-policy", async (IGrainFactory grains) =>
                TypedResults.Ok(new RegistrationPolicyView(await grains.GetGrain<IRegistrationPolicyGrain>(0).Get())))
            .WithTags("Stations")
            .WithName("GetRegistrationPolicy")
            .WithSummary("What happens to unregistered stations at boot: AcceptAll, Pending or RejectUnknown");
        api.MapPut("/registration-policy", async (RegistrationPolicyRequest request, IGrainFactory grains) =>
                TypedResults.Ok(new RegistrationPolicyView(await grains.GetGrain<IRegistrationPolicyGrain>(0).Set(request.Policy))))
            .RequireAuthorization(ApiRoles.Admin)
            .WithTags("Stations")
            .WithName("SetRegistrationPolicy")
            .WithSummary("Sets the registration policy for the cluster; null goes back to Csms:Registration:Policy");
        return api;
    }

    private static async Task<IResult> List(string? site, bool? connected, RegistrationStatus? registration, string? version, string? vendor,
        string? model, int? limit, string? cursor, IGrainFactory grains) =>
        await Paging.Run(async () => TypedResults.Ok(await grains.GetGrain<IHistoryGrain>(0)
            .ListStations(new StationQuery(site, connected, registration, version, vendor, model, limit ?? 100, cursor))));

    private static async Task<IResult> GetStation(string stationId, IGrainFactory grains)
    {
        if (!StationIdentity.TryCanonicalize(stationId, out var canonical, out var problem))
        {
            return ApiProblems.BadRequest(problem);
        }
        var snapshot = await grains.GetGrain<IChargingStationGrain>(canonical).GetSnapshot();
        if (snapshot.Registration == RegistrationStatus.Unknown && snapshot.Connection is null && snapshot.Commands.Count == 0)
        {
            return ApiProblems.NotFound($"station '{canonical}' has never connected");
        }
        return TypedResults.Ok(snapshot);
    }

    private static async Task<IResult> ActiveTransactions(string stationId, IGrainFactory grains)
    {
        if (!StationIdentity.TryCanonicalize(stationId, out var canonical, out var problem))
        {
            return ApiProblems.BadRequest(problem);
        }
        return TypedResults.Ok((await grains.GetGrain<IChargingStationGrain>(canonical).GetSnapshot()).ActiveTransactions);
    }

    private static async Task<IResult> GetConfiguration(string stationId, string? prefix, IGrainFactory grains)
    {
        if (!StationIdentity.TryCanonicalize(stationId, out var canonical, out var problem))
        {
            return ApiProblems.BadRequest(problem);
        }
        var values = await grains.GetGrain<IChargingStationGrain>(canonical).GetConfiguration();
        return TypedResults.Ok(prefix is null ? values : values.Where(v => v.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToArray());
    }

    private static async Task<IResult> GetRegistration(string stationId, IGrainFactory grains)
    {
        if (!StationIdentity.TryCanonicalize(stationId, out var canonical, out var problem))
        {
            return ApiProblems.BadRequest(problem);
        }
        var profile = await grains.GetGrain<IChargingStationGrain>(canonical).GetProfile();
        return profile.Registered
            ? TypedResults.Ok(View(canonical, profile))
            : ApiProblems.NotFound($"station '{canonical}' is not registered (PUT .../registration registers it)");
    }

    private static async Task<IResult> Register(string stationId, StationRegistrationRequest request, IGrainFactory grains, bool? allowDowngrade = null)
    {
        if (!StationIdentity.TryCanonicalize(stationId, out var canonical, out var problem))
        {
            return ApiProblems.BadRequest(problem);
        }
        var errors = new Dictionary<string, string[]>();
        if (request.Site is { Length: > 100 })
        {
            errors["site"] = ["at most 100 characters"];
        }
        if (request.Description is { Length: > 500 })
        {
            errors["description"] = ["at most 500 characters"];
        }
        if (request.SecurityProfile is < 0 or > 3)
        {
            errors["securityProfile"] = ["0 (none), 1 (Basic auth), 2 (TLS + Basic auth) or 3 (mutual TLS)"];
        }
        if (request.Password is { } password && ChangePasswordCommand.BasicAuthPasswordProblem(password) is { } passwordProblem)
        {
            errors["password"] = [passwordProblem];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var grain = grains.GetGrain<IChargingStationGrain>(canonical);
        var current = await grain.GetProfile();
        if (request.SecurityProfile < current.SecurityProfile && allowDowngrade != true)
        {
            // a station is never moved to a weaker profile by accident (a typo, an old script): say so, and how to mean it
            return ApiProblems.Conflict($"station '{canonical}' uses security profile {current.SecurityProfile}; lowering it to " +
                $"{request.SecurityProfile} lets it in with less proof of who it is. If that is meant, repeat with ?allowDowngrade=true");
        }
        var updated = await grain.SetProfile(current with
        {
            Site = request.Site ?? current.Site,
            Description = request.Description ?? current.Description,
            SecurityProfile = request.SecurityProfile ?? current.SecurityProfile,
            PasswordHash = request.Password is { } p ? StationPasswords.Hash(p) : current.PasswordHash,
        });
        return TypedResults.Ok(View(canonical, updated));
    }

    private static async Task<IResult> ChangePassword(string stationId, [AsParameters] CommandSendOptions send, HttpContext http,
        CommandDispatcher dispatcher, IOptions<JsonOptions> json)
    {
        // read here rather than bound, so a malformed body gets a 400 that says what is wrong; no body at all is allowed
        StationPasswordRequest? request = null;
        if (http.Request.ContentLength > 0 || http.Request.HasJsonContentType())
        {
            try
            {
                request = await http.Request.ReadFromJsonAsync<StationPasswordRequest>(json.Value.SerializerOptions, http.RequestAborted);
            }
            catch (JsonException ex)
            {
                return ApiProblems.BadRequest($"the request body is not a valid password request ({{\"password\": \"…\"}} or {{}}): {ex.Message}");
            }
            catch (InvalidOperationException)
            {
                return ApiProblems.BadRequest("the request body must be JSON (Content-Type: application/json)");
            }
        }
        var generated = request?.Password is null;
        if (generated && send.IdempotencyKey is not null)
        {
            return ApiProblems.BadRequest("an Idempotency-Key needs the password in the body: a retry would otherwise generate a different one");
        }
        var password = request?.Password ?? StationPasswords.Generate();
        var secret = new CommandSecret(password, StationPasswords.Hash(password), generated);
        return await dispatcher.SendAsync(http, stationId, send,
            version => OcppCommandTranslator.Translate(new ChangePasswordCommand { Password = password }, version), secret: secret);
    }

    private static async Task<IResult> Decide(string stationId, RegistrationStatus status, IGrainFactory grains)
    {
        if (!StationIdentity.TryCanonicalize(stationId, out var canonical, out var problem))
        {
            return ApiProblems.BadRequest(problem);
        }
        await grains.GetGrain<IChargingStationGrain>(canonical).SetRegistration(status);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Remove(string stationId, IGrainFactory grains)
    {
        if (!StationIdentity.TryCanonicalize(stationId, out var canonical, out var problem))
        {
            return ApiProblems.BadRequest(problem);
        }
        return await grains.GetGrain<IChargingStationGrain>(canonical).Remove()
            ? TypedResults.NoContent()
            : ApiProblems.NotFound($"station '{canonical}' is not known");
    }

    private static StationRegistrationView View(string stationId, StationProfile p) =>
        new(stationId, p.Site, p.Description, p.SecurityProfile, p.PasswordHash is not null, p.RegisteredAt);
}

/// <summary>The station's new Basic-auth password; leave it out to have a random one generated.</summary>
public sealed record StationPasswordRequest(string? Password);
