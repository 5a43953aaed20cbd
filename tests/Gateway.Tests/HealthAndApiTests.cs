using System.Net;
using Csms.Gateway.Tests.Infrastructure;

namespace Csms.Gateway.Tests;

public sealed class HealthAndApiTests(GatewayAppFixture gateway) : IClassFixture<GatewayAppFixture>
{
    [Theory]
    [InlineData("healthz")]
    [InlineData("readyz")]
    public async Task Health_endpoints_answer_200_once_started(string path)
    {
        using var response = await gateway.Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_never_seen_station_is_404_problem_json()
    {
        using var response = await gateway.Http.GetAsync(new Uri("api/v1/stations/never-seen", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("never-seen", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_OpenAPI_document_is_generated_from_the_endpoints_and_lists_the_station_read()
    {
        using var response = await gateway.Http.GetAsync(new Uri("openapi/v1.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var station = document.RootElement.GetProperty("paths").GetProperty("/api/v1/stations/{stationId}").GetProperty("get");
        Assert.Equal("GetStation", station.GetProperty("operationId").GetString());
        var responses = station.GetProperty("responses");
        Assert.True(responses.TryGetProperty("200", out _));
        Assert.True(responses.TryGetProperty("404", out _));
    }

    [Fact]
    public async Task A_browsable_UI_over_the_document_is_served_at_swagger()
    {
        using var response = await gateway.Http.GetAsync(new Uri("swagger/index.html", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
