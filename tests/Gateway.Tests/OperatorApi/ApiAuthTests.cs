using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Csms.Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Csms.Gateway.Tests.OperatorApi;

/// <summary>Who may do what: API keys and roles, and the OpenAPI document that describes it.</summary>
public sealed partial class ApiAuthTests(GatewayAppFixture gateway) : IClassFixture<GatewayAppFixture>
{
    [Fact]
    public async Task Every_operation_in_the_OpenAPI_document_answers_401_without_a_key()
    {
        var document = await ApiJson.GetAsync(gateway.Anonymous, "openapi/v1.json").ContinueWith(t => t.Result.Expect(HttpStatusCode.OK));
        var checkedOperations = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var url = PathParameter().Replace(path.Name, "doc-walk-1");
            foreach (var operation in path.Value.EnumerateObject())
            {
                var (status, body) = await ApiJson.SendAsync(gateway.Anonymous, new HttpMethod(operation.Name.ToUpperInvariant()), url,
                    operation.Name is "post" or "put" ? "{}" : null);
                Assert.True(status == HttpStatusCode.Unauthorized, $"{operation.Name.ToUpperInvariant()} {path.Name}: {(int)status} {body}");
                Assert.Contains("X-Api-Key", body.Text("detail"), StringComparison.Ordinal);
                // and the document says so
                Assert.True(operation.Value.TryGetProperty("security", out _), $"{path.Name} {operation.Name} has no security requirement");
                checkedOperations++;
            }
        }
        Assert.True(checkedOperations >= 30, $"only {checkedOperations} operations in the document");
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_every_operator_API_endpoint()
    {
        var document = (await ApiJson.GetAsync(gateway.Anonymous, "openapi/v1.json")).Expect(HttpStatusCode.OK);
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => $"{o.Name.ToUpperInvariant()} {p.Name}"))
            .ToHashSet();
        var mapped = gateway.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .ToArray();

        Assert.NotEmpty(mapped);
        Assert.All(mapped, endpoint => Assert.Contains(endpoint, documented));
        Assert.Equal("apiKey", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey").Text("type"));
    }

    [Fact]
    public async Task An_unknown_key_is_refused_with_a_message_that_says_the_key_is_not_valid()
    {
        using var client = gateway.ClientWithKey("csms_not-a-key-anyone-issued");
        var body = (await ApiJson.GetAsync(client, "api/v1/stations")).Expect(HttpStatusCode.Unauthorized);
        Assert.Contains("not valid", body.Text("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_viewer_reads_but_may_not_send_commands_and_an_operator_may_not_manage_keys()
    {
        var viewerKey = await CreateKey("dashboard", "viewer");
        var operatorKey = await CreateKey("ops-bot", "operator");
        using var viewer = gateway.ClientWithKey(viewerKey);
        using var @operator = gateway.ClientWithKey(operatorKey);

        (await ApiJson.GetAsync(viewer, "api/v1/stations")).Expect(HttpStatusCode.OK);
        var refused = (await ApiJson.PostAsync(viewer, "api/v1/stations/some-station/reset", new { type = "immediate" })).Expect(HttpStatusCode.Forbidden);
        Assert.Contains("operator", refused.Text("detail"), StringComparison.Ordinal);
        Assert.Contains("viewer", refused.Text("detail"), StringComparison.Ordinal);

        // an operator gets past authorization (the station does not exist: 404, not 403)
        (await ApiJson.PostAsync(@operator, "api/v1/stations/some-station/reset", new { type = "immediate" })).Expect(HttpStatusCode.NotFound);
        var notAdmin = (await ApiJson.PostAsync(@operator, "api/v1/api-keys", new { name = "sneaky", role = "admin" })).Expect(HttpStatusCode.Forbidden);
        Assert.Contains("admin", notAdmin.Text("detail"), StringComparison.Ordinal);
        (await ApiJson.SendAsync(@operator, HttpMethod.Put, "api/v1/id-tokens/ABC", new { status = "Accepted" })).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_created_key_is_shown_once_listed_without_its_secret_and_refused_once_revoked()
    {
        var created = (await ApiJson.PostAsync(gateway.Http, "api/v1/api-keys", new { name = "temporary", role = "viewer" })).Expect(HttpStatusCode.Created);
        var key = created.Text("key");
        var keyId = created.Text("keyId");
        using var client = gateway.ClientWithKey(key);
        (await ApiJson.GetAsync(client, "api/v1/stations")).Expect(HttpStatusCode.OK);

        var listed = (await ApiJson.GetAsync(gateway.Http, "api/v1/api-keys")).Expect(HttpStatusCode.OK);
        var entry = Assert.Single(listed.EnumerateArray(), k => k.Text("keyId") == keyId);
        Assert.False(entry.TryGetProperty("key", out _));
        Assert.DoesNotContain(key, listed.GetRawText(), StringComparison.Ordinal);

        (await ApiJson.SendAsync(gateway.Http, HttpMethod.Delete, $"api/v1/api-keys/{keyId}")).Expect(HttpStatusCode.NoContent);
        (await ApiJson.GetAsync(client, "api/v1/stations")).Expect(HttpStatusCode.Unauthorized);
        (await ApiJson.SendAsync(gateway.Http, HttpMethod.Delete, $"api/v1/api-keys/{keyId}")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_key_request_with_a_bad_role_or_a_past_expiry_is_a_validation_problem_naming_the_fields()
    {
        var body = (await ApiJson.PostAsync(gateway.Http, "api/v1/api-keys",
            new { name = "", role = "superuser", expiresAt = DateTimeOffset.UtcNow.AddDays(-1) })).Expect(HttpStatusCode.BadRequest);
        var errors = body.GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("role", out _));
        Assert.True(errors.TryGetProperty("expiresAt", out _));
    }

    [Fact]
    public async Task Health_metrics_and_the_OpenAPI_document_need_no_key()
    {
        (await ApiJson.GetAsync(gateway.Anonymous, "openapi/v1.json")).Expect(HttpStatusCode.OK);
        using var health = await gateway.Anonymous.GetAsync(new Uri("healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private async Task<string> CreateKey(string name, string role) =>
        (await ApiJson.PostAsync(gateway.Http, "api/v1/api-keys", new { name, role })).Expect(HttpStatusCode.Created).Text("key");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex PathParameter();
}

/// <summary>A gateway that also accepts bearer tokens from an in-house issuer (HMAC-signed).</summary>
public sealed class JwtGatewayFixture : GatewayAppFixture
{
    public const string SigningKey = "a-test-signing-key-that-is-long-enough-0123456789";
    public const string Issuer = "https://issuer.test";
    public const string Audience = "csms-api";

    protected override IEnumerable<string> ExtraArgs =>
        [$"--Api:Jwt:SigningKey={SigningKey}", $"--Api:Jwt:Issuer={Issuer}", $"--Api:Jwt:Audience={Audience}"];

    public static string Token(string role, string issuer = Issuer, DateTime? expires = null) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = issuer,
        Audience = Audience,
        Expires = expires ?? DateTime.UtcNow.AddMinutes(10),
        Claims = new Dictionary<string, object> { ["sub"] = "alice", ["roles"] = role },
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SigningKey)), SecurityAlgorithms.HmacSha256),
    });
}

public sealed class JwtAuthTests(JwtGatewayFixture gateway) : IClassFixture<JwtGatewayFixture>
{
    [Fact]
    public async Task A_bearer_token_with_a_role_claim_is_accepted_for_that_role_only()
    {
        using var viewer = Bearer(JwtGatewayFixture.Token("viewer"));
        (await ApiJson.GetAsync(viewer, "api/v1/stations")).Expect(HttpStatusCode.OK);
        var refused = (await ApiJson.PostAsync(viewer, "api/v1/stations/x/reset", new { type = "immediate" })).Expect(HttpStatusCode.Forbidden);
        Assert.Contains("operator", refused.Text("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_refused()
    {
        using var client = Bearer(JwtGatewayFixture.Token("admin", issuer: "https://evil.test"));
        var body = (await ApiJson.GetAsync(client, "api/v1/stations")).Expect(HttpStatusCode.Unauthorized);
        Assert.Contains("bearer token is not valid", body.Text("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task API_keys_still_work_beside_bearer_tokens()
    {
        (await ApiJson.GetAsync(gateway.Http, "api/v1/stations")).Expect(HttpStatusCode.OK);
        var body = (await ApiJson.GetAsync(gateway.Anonymous, "api/v1/stations")).Expect(HttpStatusCode.Unauthorized);
        Assert.Equal(JsonValueKind.String, body.GetProperty("detail").ValueKind);
    }

    private HttpClient Bearer(string token)
    {
        var client = new HttpClient { BaseAddress = gateway.HttpBase };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
