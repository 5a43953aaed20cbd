using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Csms.Gateway.Api.Security;

/// <summary>
/// <c>X-Api-Key</c> authentication against <see cref="ApiKeyStore"/>. Its 401 and 403 answers are problem details
/// that say what is missing.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyStore keys,
    TimeProvider clock,
    IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || values.Count == 0 || string.IsNullOrWhiteSpace(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        if (keys.Find(values[0]!.Trim(), clock.GetUtcNow()) is not { } holder)
        {
            // never log the key itself
            Logger.LogInformation("Operator API: unknown, revoked or expired API key from {Address}", Context.Connection.RemoteIpAddress);
            return Task.FromResult(AuthenticateResult.Fail("unknown, revoked or expired API key"));
        }
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, holder.KeyId),
                new Claim(ClaimTypes.Name, holder.Name),
                new Claim(ClaimTypes.Role, ApiRoles.Name(holder.Role)),
            ],
            SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{Header}\"";
        var detail = result.Failure is null
            ? $"this endpoint needs an API key in the {Header} header"
            : $"the API key in the {Header} header is not valid: it is unknown, revoked or expired";
        await Problem("Unauthorized", detail);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Problem("Forbidden", ForbiddenDetail(Context));
    }

    /// <summary>What the caller lacks, named from the endpoint's policy (policies are named after roles).</summary>
    public static string ForbiddenDetail(HttpContext context)
    {
        var needed = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null);
        var has = ApiRoles.Highest(context.User) is { } role ? ApiRoles.Name(role) : "no role";
        return needed is null
            ? $"your credentials ({has}) do not allow this"
            : $"this endpoint needs the {needed} role (or higher); your credentials have {has}";
    }

    private Task Problem(string title, string detail) => problems.WriteAsync(new ProblemDetailsContext
    {
        HttpContext = Context,
        ProblemDetails = { Status = Response.StatusCode, Title = title, Detail = detail },
    }).AsTask();
}
