using System.Text;
using Csms.Grains.Interfaces.ApiKeys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Csms.Gateway.Api.Security;

public static class ApiSecurityExtensions
{
    private const string SelectorScheme = "Csms";

    /// <summary>
    /// API keys (and JWT bearer tokens when an issuer is configured) with the viewer / operator / admin policies. In
    /// standalone mode with nothing configured, an admin key is generated and printed at start-up.
    /// </summary>
    public static WebApplicationBuilder AddCsmsApiSecurity(this WebApplicationBuilder builder, bool standalone)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(ApiOptions.Section);
        services.AddOptions<ApiOptions>().Bind(section)
            .Validate(o => o.KeyRefreshSeconds >= 1, "Api:KeyRefreshSeconds must be at least 1")
            .Validate(o => o.MaxWaitSeconds >= 0, "Api:MaxWaitSeconds must not be negative")
            .Validate(o => string.IsNullOrEmpty(o.AdminKey) || o.AdminKey.Trim().Length >= 16, "Api:AdminKey must be at least 16 characters")
            .ValidateOnStart();
        var options = section.Get<ApiOptions>() ?? new ApiOptions();
        var nothingConfigured = string.IsNullOrWhiteSpace(options.AdminKey) && options.Keys.Count == 0 && !options.Jwt.Enabled;
        services.AddSingleton(new GeneratedAdminKey(standalone && nothingConfigured ? ApiKeys.Generate() : null));
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ApiKeyRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyRefresher>());
        services.AddHostedService<ApiKeyBanner>();

        var authentication = services.AddAuthentication(SelectorScheme)
            .AddPolicyScheme(SelectorScheme, "API key or bearer token", o => o.ForwardDefaultSelector = context =>
                options.Jwt.Enabled && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (options.Jwt.Enabled)
        {
            authentication.AddJwtBearer(o => ConfigureJwt(o, options.Jwt));
        }

        var authorization = services.AddAuthorizationBuilder();
        foreach (var role in Enum.GetValues<ApiRole>())
        {
            authorization.AddPolicy(ApiRoles.Name(role), p => p.RequireAuthenticatedUser().RequireAssertion(c => ApiRoles.Has(c.User, role)));
        }
        return builder;
    }

    private static void ConfigureJwt(JwtBearerOptions o, ApiJwtOptions jwt)
    {
        o.MapInboundClaims = false;
        if (!string.IsNullOrWhiteSpace(jwt.Authority))
        {
            o.Authority = jwt.Authority;
        }
        o.Audience = jwt.Audience;
        o.TokenValidationParameters.RoleClaimType = jwt.RoleClaim;
        o.TokenValidationParameters.NameClaimType = "sub";
        o.TokenValidationParameters.ValidateAudience = !string.IsNullOrWhiteSpace(jwt.Audience);
        if (string.IsNullOrWhiteSpace(jwt.Authority) && jwt.SigningKey is { } secret)
        {
            var bytes = Encoding.UTF8.GetBytes(secret);
            if (bytes.Length < 32)
            {
                throw new InvalidOperationException("Api:Jwt:SigningKey must be at least 32 bytes");
            }
            o.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(bytes);
            o.TokenValidationParameters.ValidIssuer = jwt.Issuer;
            o.TokenValidationParameters.ValidateIssuer = !string.IsNullOrWhiteSpace(jwt.Issuer);
        }
        o.Events = new JwtBearerEvents
        {
            OnChallenge = async context =>
            {
                context.HandleResponse();
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                var detail = context.AuthenticateFailure is null
                    ? "this endpoint needs a bearer token or an API key"
                    : "the bearer token is not valid (signature, issuer, audience or expiry)";
                await WriteProblem(context.HttpContext, "Unauthorized", detail);
            },
            OnForbidden = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return WriteProblem(context.HttpContext, "Forbidden", ApiKeyAuthenticationHandler.ForbiddenDetail(context.HttpContext));
            },
        };
    }

    private static Task WriteProblem(HttpContext context, string title, string detail) =>
        context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = context.Response.StatusCode, Title = title, Detail = detail },
        }).AsTask();
}
