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

    [Fact]
    public async Task A_capacity_in_watts_is_converted_and_lease_fallback_phase_and_schedule_settings_are_checked()
    {
        var site = $"site-{Guid.NewGuid():N}"[..14];
        async Task<System.Text.Json.JsonElement> Put(string path, object body, HttpStatusCode expected) =>
            (await ApiJson.SendAsync(gateway.Http, HttpMethod.Put, $"api/v1/sites/{site}{path}", body)).Expect(expected);

        // either amperes or watts, not both or neither
        Assert.True((await Put("", new { capacityAmps = 63, capacityWatts = 43_470 }, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("capacityAmps", out _));
        Assert.True((await Put("", new { strategy = "EqualShare" }, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("capacityAmps", out _));
        var tooShort = await Put("", new { capacityAmps = 63, leaseSeconds = 5, fallbackAmps = -1, phases = 2 }, HttpStatusCode.BadRequest);
        Assert.Equal(["fallbackAmps", "leaseSeconds", "phases"], tooShort.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());

        // 43,470 W over three phases at 230 V is 63 A per phase; on one phase at 230 V, 22 kW is 95.6 A
        var three = await Put("", new { capacityWatts = 43_470, leaseSeconds = 120, fallbackAmps = 6 }, HttpStatusCode.OK);
        Assert.Equal(63m, three.GetProperty("effectiveLimitAmps").GetDecimal());
        Assert.Equal(120, three.GetProperty("settings").GetProperty("leaseSeconds").GetInt32());
        var one = await Put("", new { capacityWatts = 22_000, phases = 1 }, HttpStatusCode.OK);
        Assert.Equal(95.6m, one.GetProperty("settings").GetProperty("capacityAmps").GetDecimal());
        await Put("", new { capacityAmps = 63 }, HttpStatusCode.OK);

        // a grid phase only for a single-phase EVSE
        var phase = await Put("/evses/cp-1/1", new { phases = 3, phase = "L2" }, HttpStatusCode.BadRequest);
        Assert.True(phase.GetProperty("errors").TryGetProperty("phase", out _));
        await Put("/evses/cp-1/1", new { phases = 1, phase = "L2" }, HttpStatusCode.OK);

        // a schedule: two periods may not start together; a valid one is kept and shown
        var from = DateTimeOffset.UtcNow.AddHours(1);
        var twice = await Put("/limit", new { schedule = new[] { new { from, limitAmps = 20 }, new { from, limitAmps = 30 } } }, HttpStatusCode.BadRequest);
        Assert.Contains("two periods", twice.GetProperty("errors").GetProperty("schedule")[0].GetString(), StringComparison.Ordinal);
        var scheduled = await Put("/limit", new { limitAmps = 50, schedule = new[] { new { from, limitAmps = 20 } } }, HttpStatusCode.OK);
        Assert.Equal(50m, scheduled.GetProperty("effectiveLimitAmps").GetDecimal());
        Assert.Equal(20m, Assert.Single(scheduled.GetProperty("schedule").EnumerateArray()).GetProperty("limitAmps").GetDecimal());
        var read = (await ApiJson.GetAsync(gateway.Http, $"api/v1/sites/{site}")).Expect(HttpStatusCode.OK);
        Assert.Equal("L2", Assert.Single(read.GetProperty("evses").EnumerateArray()).GetProperty("phase").GetString());
    }
}
