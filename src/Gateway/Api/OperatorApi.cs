using Csms.Gateway.Api.Commands;
using Csms.Gateway.Api.Live;
using Csms.Gateway.Api.Security;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Csms.Gateway.Api;

/// <summary>The operator API under <c>/api/v1</c>: every endpoint needs at least the viewer role.</summary>
public static class OperatorApi
{
    public const string Prefix = "/api/v1";
    public const string SecuritySchemeName = "ApiKey";

    public static WebApplication MapOperatorApi(this WebApplication app)
    {
        var api = app.MapGroup(Prefix).RequireAuthorization(ApiRoles.Viewer);
        api.MapStationsApi();
        api.MapCommandsApi();
        api.MapTypedCommandsApi();
        api.MapTransactionsApi();
        api.MapIdTokensApi();
        api.MapSitesApi();
        api.MapEventsApi();
        api.MapApiKeysApi();
        return app;
    }

    /// <summary>Describes the API key (and bearer) scheme in the OpenAPI document and marks every protected operation with it.</summary>
    public static void AddSecurityToOpenApi(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.Header,
                Description = "An API key with the viewer, operator or admin role (see the README, 'Operator API').",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var policy = metadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null);
            if (policy is not null)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, context.Document)] = [] });
                operation.Description = $"{operation.Description}\n\nRole: **{policy}** (or higher).".TrimStart();
                operation.Responses ??= [];
                operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No API key, or an unknown, revoked or expired one" });
                operation.Responses.TryAdd("403", new OpenApiResponse { Description = $"The key's role is lower than {policy}" });
            }
            return Task.CompletedTask;
        });
    }
}
