using Csms.Gateway.Api.Security;
using Csms.Grains.Interfaces.ApiKeys;

namespace Csms.Gateway.Api;

/// <summary>API keys created and revoked through the API (admin). The key is shown once, at creation; only its hash is kept.</summary>
public static class ApiKeysApi
{
    public sealed record CreateApiKey(string Name, string Role, DateTimeOffset? ExpiresAt);

    public sealed record ApiKeyInfo(string KeyId, string Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

    public sealed record CreatedApiKey(string KeyId, string Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string Key);

    public static RouteGroupBuilder MapApiKeysApi(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/api-keys").WithTags("API keys").RequireAuthorization(ApiRoles.Admin);
        keys.MapGet("", List)
            .WithName("ListApiKeys")
            .WithSummary("API keys created through the API (configured keys are not listed)")
            .Produces<ApiKeyInfo[]>();
        keys.MapPost("", Create)
            .WithName("CreateApiKey")
            .WithSummary("Creates an API key; the response carries the key, which is not shown again")
            .Produces<CreatedApiKey>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        keys.MapDelete("/{keyId}", Revoke)
            .WithName("RevokeApiKey")
            .WithSummary("Revokes an API key; every gateway refuses it within Api:KeyRefreshSeconds")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> List(IGrainFactory grains) =>
        Results.Ok((await Registry(grains).List()).Select(Info).ToArray());

    private static async Task<IResult> Create(CreateApiKey request, IGrainFactory grains, ApiKeyRefresher refresher, TimeProvider clock)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
        {
            errors["name"] = ["a name of 1 to 100 characters that says who or what uses the key"];
        }
        if (!ApiRoles.TryParse(request.Role, out var role))
        {
            errors["role"] = ["one of viewer, operator, admin"];
        }
        var now = clock.GetUtcNow();
        if (request.ExpiresAt <= now)
        {
            errors["expiresAt"] = ["must be in the future (or left out for a key that does not expire)"];
        }
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }
        var key = ApiKeys.Generate();
        var entry = new ApiKeyEntry(ApiKeys.NewKeyId(), request.Name.Trim(), role, ApiKeys.Hash(key), now, request.ExpiresAt);
        if (!await Registry(grains).Add(entry))
        {
            return Results.Problem(detail: "a key with the same id was created at the same moment; retry", statusCode: StatusCodes.Status409Conflict);
        }
        // usable on this gateway at once; the others pick it up at their next refresh
        await refresher.RefreshAsync();
        return Results.Created($"{OperatorApi.Prefix}/api-keys/{entry.KeyId}",
            new CreatedApiKey(entry.KeyId, entry.Name, ApiRoles.Name(entry.Role), entry.CreatedAt, entry.ExpiresAt, key));
    }

    private static async Task<IResult> Revoke(string keyId, IGrainFactory grains, ApiKeyRefresher refresher)
    {
        if (!await Registry(grains).Revoke(keyId))
        {
            return Results.Problem(detail: $"there is no API key '{keyId}' (configured keys cannot be revoked here: remove them from the configuration)",
                statusCode: StatusCodes.Status404NotFound);
        }
        await refresher.RefreshAsync();
        return Results.NoContent();
    }

    private static IApiKeyRegistryGrain Registry(IGrainFactory grains) => grains.GetGrain<IApiKeyRegistryGrain>(0);

    private static ApiKeyInfo Info(ApiKeyEntry e) => new(e.KeyId, e.Name, ApiRoles.Name(e.Role), e.CreatedAt, e.ExpiresAt);
}
