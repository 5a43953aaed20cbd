using Csms.Grains.SmartCharging;

namespace Csms.Grains.Tests.SmartCharging;

public class SiteAllocatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    private static LimitNode Site(decimal amps) => new(SiteAllocator.SiteNode, null, amps);

    private static EvseDemand Evse(string key, int minute = 0, decimal min = 6, decimal max = 32, int priority = 0, string group = SiteAllocator.SiteNode,
        decimal? drawn = null, decimal? allowed = null) => new(key, group, min, max, priority, T0.AddMinutes(minute), drawn, allowed);

    private static Dictionary<string, decimal> Amps(IReadOnlyList<EvseAllocation> allocations) => allocations.ToDictionary(a => a.Key, a => a.Amps);

    [Fact]
    public void Ten_sessions_on_a_63_A_site_share_it_equally()
    {
        var demands = Enumerable.Range(1, 10).Select(i => Evse($"e{i}", i)).ToArray();

        var result = SiteAllocator.Allocate([Site(63)], demands, AllocationStrategy.EqualShare);

        Assert.All(result, a => Assert.Equal(6.3m, a.Amps));
        Assert.Equal(63m, result.Sum(a => a.Amps));
    }

    [Fact]
    public void An_EV_that_draws_less_than_it_is_allowed_leaves_the_rest_to_the_others()
    {
        EvseDemand[] demands = [Evse("slow", drawn: 7, allowed: 21), Evse("a"), Evse("b")];

        var result = Amps(SiteAllocator.Allocate([Site(63)], demands, AllocationStrategy.EqualShare));

        Assert.Equal(9m, result["slow"]);
        Assert.Equal(27m, result["a"]);
        Assert.Equal(27m, result["b"]);
    }

    [Fact]
    public void When_the_minimums_do_not_all_fit_the_lowest_priority_then_the_latest_sessions_are_paused()
    {
        EvseDemand[] demands = [Evse("vip", 9, priority: 5), Evse("early", 1), Evse("late", 2), Evse("latest", 3)];

        var result = SiteAllocator.Allocate([Site(16)], demands, AllocationStrategy.EqualShare).ToDictionary(a => a.Key);

        Assert.False(result["vip"].Paused);
        Assert.False(result["early"].Paused);
        Assert.True(result["late"].Paused);
        Assert.True(result["latest"].Paused);
        Assert.Equal(0m, result["late"].Amps);
        Assert.Equal(16m, result["vip"].Amps + result["early"].Amps);
    }

    [Fact]
    public void Priority_serves_the_higher_level_to_its_maximum_first_and_shares_the_rest_equally()
    {
        EvseDemand[] demands = [Evse("fleet-1", priority: 2, max: 16), Evse("fleet-2", priority: 2, max: 16), Evse("guest-1"), Evse("guest-2")];

        var result = Amps(SiteAllocator.Allocate([Site(50)], demands, AllocationStrategy.Priority));

        Assert.Equal(16m, result["fleet-1"]);
        Assert.Equal(16m, result["fleet-2"]);
        Assert.Equal(9m, result["guest-1"]);
        Assert.Equal(9m, result["guest-2"]);
    }

    [Fact]
    public void First_come_fills_the_earliest_session_first()
    {
        EvseDemand[] demands = [Evse("second", 2), Evse("first", 1), Evse("third", 3)];

        var result = Amps(SiteAllocator.Allocate([Site(50)], demands, AllocationStrategy.FirstCome));

        Assert.Equal(32m, result["first"]);
        Assert.Equal(12m, result["second"]);
        Assert.Equal(6m, result["third"]);
    }

    [Fact]
    public void A_group_limit_holds_inside_the_site_and_its_spare_goes_to_EVSEs_outside_it()
    {
        LimitNode[] nodes = [Site(64), new("feeder-a", SiteAllocator.SiteNode, 20)];
        EvseDemand[] demands = [Evse("a1", group: "feeder-a"), Evse("a2", group: "feeder-a"), Evse("b1"), Evse("b2")];

        var result = Amps(SiteAllocator.Allocate(nodes, demands, AllocationStrategy.EqualShare));

        Assert.Equal(10m, result["a1"]);
        Assert.Equal(10m, result["a2"]);
        Assert.Equal(22m, result["b1"]);
        Assert.Equal(22m, result["b2"]);
    }

    [Fact]
    public void A_group_that_names_a_missing_parent_or_an_EVSE_in_a_missing_group_is_refused_with_the_name()
    {
        var missingParent = Assert.Throws<ArgumentException>(() =>
            SiteAllocator.Allocate([Site(10), new("g", "nope", 5)], [], AllocationStrategy.EqualShare));
        Assert.Contains("nope", missingParent.Message, StringComparison.Ordinal);
        var missingGroup = Assert.Throws<ArgumentException>(() =>
            SiteAllocator.Allocate([Site(10)], [Evse("e", group: "ghost")], AllocationStrategy.EqualShare));
        Assert.Contains("ghost", missingGroup.Message, StringComparison.Ordinal);
    }

    // ---- properties, over random sites: 300 per strategy, each seed its own case so a failure names it ----

    public static TheoryData<int, AllocationStrategy> Seeds()
    {
        var data = new TheoryData<int, AllocationStrategy>();
        foreach (var strategy in Enum.GetValues<AllocationStrategy>())
        {
            for (var seed = 1; seed <= 300; seed++)
            {
                data.Add(seed, strategy);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void No_limit_node_is_ever_exceeded_and_every_EVSE_gets_nothing_or_between_its_minimum_and_its_cap(int seed, AllocationStrategy strategy)
    {
        var (nodes, demands) = RandomSite(new Random(seed));

        var result = SiteAllocator.Allocate(nodes, demands, strategy);

        var byKey = result.ToDictionary(a => a.Key);
        Assert.Equal(demands.Length, byKey.Count);
        foreach (var node in nodes)
        {
            var under = demands.Where(d => PathOf(nodes, d.Group).Contains(node.Id)).Sum(d => byKey[d.Key].Amps);
            Assert.True(under <= node.LimitAmps, $"seed {seed}: node {node.Id} carries {under} A over its {node.LimitAmps} A");
        }
        foreach (var d in demands)
        {
            var a = byKey[d.Key];
            Assert.True(a.Paused ? a.Amps == 0 : a.Amps >= Math.Min(d.MinAmps, d.MaxAmps) && a.Amps <= SiteAllocator.Cap(d),
                $"seed {seed}: {d.Key} got {a.Amps} A (paused {a.Paused}) with min {d.MinAmps}, cap {SiteAllocator.Cap(d)}");
            Assert.Equal(0m, a.Amps % SiteAllocator.Step);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_session_is_paused_only_if_its_minimum_did_not_fit_beside_everyone_served_before_it(int seed, AllocationStrategy strategy)
    {
        var (nodes, demands) = RandomSite(new Random(seed));

        var byKey = SiteAllocator.Allocate(nodes, demands, strategy).ToDictionary(a => a.Key);

        // the admission order: priority, then arrival; a paused session's minimum must overflow a node given the
        // minimums of the sessions admitted before it
        var order = demands.OrderByDescending(d => d.Priority).ThenBy(d => d.Arrival).ThenBy(d => d.Key, StringComparer.Ordinal).ToArray();
        var mins = nodes.ToDictionary(n => n.Id, _ => 0m);
        foreach (var d in order)
        {
            var min = Math.Ceiling(Math.Min(d.MinAmps, d.MaxAmps) / SiteAllocator.Step) * SiteAllocator.Step;
            var path = PathOf(nodes, d.Group);
            var fits = path.All(id => mins[id] + min <= nodes.Single(n => n.Id == id).LimitAmps);
            Assert.True(fits != byKey[d.Key].Paused, $"seed {seed}: {d.Key} paused {byKey[d.Key].Paused} though its minimum {(fits ? "fits" : "does not fit")}");
            if (fits)
            {
                foreach (var id in path)
                {
                    mins[id] += min;
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Within_a_priority_an_EVSE_gets_clearly_less_than_another_only_at_its_cap_or_behind_a_full_limit_the_other_is_not_behind(
        int seed, AllocationStrategy strategy)
    {
        if (strategy == AllocationStrategy.FirstCome)
        {
            return;
        }
        var (nodes, demands) = RandomSite(new Random(seed));

        var byKey = SiteAllocator.Allocate(nodes, demands, strategy).ToDictionary(a => a.Key);

        var served = demands.Where(d => !byKey[d.Key].Paused).ToArray();
        var load = nodes.ToDictionary(n => n.Id, n => served.Where(d => PathOf(nodes, d.Group).Contains(n.Id)).Sum(d => byKey[d.Key].Amps));
        // full: less than a step left for each EVSE under it (the last steps go one each, in order)
        bool Full(string id) => nodes.Single(n => n.Id == id).LimitAmps - load[id] < SiteAllocator.Step * served.Count(d => PathOf(nodes, d.Group).Contains(id));
        foreach (var low in served)
        {
            foreach (var high in served.Where(h => strategy == AllocationStrategy.EqualShare || h.Priority == low.Priority))
            {
                if (byKey[low.Key].Amps + SiteAllocator.Step >= byKey[high.Key].Amps)
                {
                    continue;
                }
                var lowAtCap = byKey[low.Key].Amps + SiteAllocator.Step > SiteAllocator.Cap(low);
                var highAtItsMinimum = byKey[high.Key].Amps <= Math.Ceiling(high.MinAmps / SiteAllocator.Step) * SiteAllocator.Step;
                var lowBehindOwnFullLimit = PathOf(nodes, low.Group).Except(PathOf(nodes, high.Group)).Any(Full);
                Assert.True(lowAtCap || highAtItsMinimum || lowBehindOwnFullLimit,
                    $"seed {seed}: {low.Key} has {byKey[low.Key].Amps} A and {high.Key} {byKey[high.Key].Amps} A, yet {low.Key} is not at its cap " +
                    $"nor behind a full limit that {high.Key} is not behind");
            }
        }
    }

    private static (LimitNode[] Nodes, EvseDemand[] Demands) RandomSite(Random random)
    {
        var nodes = new List<LimitNode> { Site(random.Next(0, 400) + (decimal)random.Next(0, 10) / 10) };
        for (var g = 0; g < random.Next(0, 4); g++)
        {
            var parent = nodes[random.Next(nodes.Count)].Id;
            nodes.Add(new LimitNode($"g{g}", parent, random.Next(0, 150)));
        }
        var demands = Enumerable.Range(0, random.Next(0, 40)).Select(i =>
        {
            var min = random.Next(4) == 0 ? 0m : random.Next(5, 11);
            var max = min + random.Next(0, 60) + (decimal)random.Next(0, 10) / 10;
            var allowed = random.Next(2) == 0 ? (decimal?)random.Next(0, 64) : null;
            var drawn = allowed is { } a && random.Next(2) == 0 ? (decimal?)(random.Next(0, (int)a + 1) + 0.3m) : null;
            return new EvseDemand($"e{i}", nodes[random.Next(nodes.Count)].Id, min, max, random.Next(0, 3), T0.AddSeconds(random.Next(0, 3600)), drawn, allowed);
        }).ToArray();
        return ([.. nodes], demands);
    }

    private static HashSet<string> PathOf(IReadOnlyList<LimitNode> nodes, string group)
    {
        var path = new HashSet<string>();
        for (var n = nodes.Single(x => x.Id == group); ; n = nodes.Single(x => x.Id == n.Parent))
        {
            path.Add(n.Id);
            if (n.Parent is null)
            {
                return path;
            }
        }
    }
}
