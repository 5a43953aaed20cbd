using System.Net;
using Csms.Gateway.Tests.Infrastructure;

namespace Csms.Gateway.Tests.OperatorApi;

public sealed class SitesApiTests(GatewayAppFixture gateway) : IClassFixture<GatewayAppFixture>
{
    [Fact]
    public async Task A_site_is_configured_and_its_allocation_read_and_bad_settings_are_refused_naming_the_field()
    {
        var site = $"site-{Guid.NewGuid():N}"[..14];

        var bad = (await ApiJson.SendAsync(gateway.Http, HttpMethod.Put, $"api/v1/sites/{site}", new { capacityAmps = 0, strategy = "Lottery" }))
            .Expect(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("capacityAmps", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("strategy", out _));
        var orphan = (await ApiJson.SendAsync(gateway.Http, HttpMethod.Put, $"api/v1/sites/{site}",
            new { capacityAmps = 63, groups = new[] { new { id = "feeder", parent = "nowhere", limitAmps = 32 } } })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("nowhere", orphan.Text("detail"), StringComparison.Ordinal);

        var configured = (await ApiJson.SendAsync(gateway.Http, HttpMethod.Put, $"api/v1/sites/{site}",
            new { capacityAmps = 63, strategy = "Priority", groups = new[] { new { id = "feeder", limitAmps = 32 } } })).Expect(HttpStatusCode.OK);
        Assert.Equal(63m, configured.GetProperty("effectiveLimitAmps").GetDecimal());
        (await ApiJson.SendAsync(gateway.Http, HttpMethod.Put, $"api/v1/sites/{site}/evses/cp-1/1", new { group = "feeder", minAmps = 6, maxAmps = 16, priority = 2, phases = 3 }))
            .Expect(HttpStatusCode.OK);
        (await ApiJson.SendAsync(gateway.Http, HttpMethod.Put, $"api/v1/sites/{site}/evses/cp-1/1", new { group = "nope" })).Expect(HttpStatusCode.BadRequest);

        var limited = (await ApiJson.SendAsync(gateway.Http, HttpMethod.Put, $"api/v1/sites/{site}/limit", new { limitAmps = 40, pvAmps = 5 })).Expect(HttpStatusCode.OK);
        Assert.Equal(45m, limited.GetProperty("effectiveLimitAmps").GetDecimal());
        var allocation = (await ApiJson.GetAsync(gateway.Http, $"api/v1/sites/{site}/allocation")).Expect(HttpStatusCode.OK);
        var evse = Assert.Single(allocation.GetProperty("evses").EnumerateArray());
        Assert.Equal(2, evse.GetProperty("priority").GetInt32());
    }
}
