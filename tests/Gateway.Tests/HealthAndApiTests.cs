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
}
