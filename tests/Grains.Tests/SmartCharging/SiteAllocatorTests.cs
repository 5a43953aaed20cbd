using Csms.Grains.SmartCharging;

namespace Csms.Grains.Tests.SmartCharging;

public class SiteAllocatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    private static LimitNode Site(decimal amps) => new(SiteAllocator.SiteNode, null, amps);

    private static EvseDemand Evse(string key, int minute = 0, decimal min = 6, decimal max = 32, int priority = 0, string group = SiteAllocator.SiteNode,
        decimal? drawn = null, decimal? allowed = null, PhaseSet phases = PhaseSet.All) =>
        new(key, group, min, max, priority, T0.AddMinutes(minute), drawn, allowed, phases);

    private static readonly PhaseSet[] EachPhase = [PhaseSet.L1, PhaseSet.L2, PhaseSet.L3];

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

    // ---- phases and fixed loads ----

    [Fact]
    public void Three_single_phase_EVSEs_on_different_phases_each_get_the_whole_per_phase_limit()
    {
        EvseDemand[] demands = [Evse("l1", phases: PhaseSet.L1), Evse("l2", phases: PhaseSet.L2), Evse("l3", phases: PhaseSet.L3)];

        var result = SiteAllocator.Allocate([Site(32)], demands, AllocationStrategy.EqualShare);

        Assert.All(result, a => Assert.Equal(32m, a.Amps));
    }

    [Fact]
    public void Three_single_phase_EVSEs_on_the_same_phase_share_it_in_whole_steps()
    {
        EvseDemand[] demands = [Evse("a", phases: PhaseSet.L1), Evse("b", phases: PhaseSet.L1), Evse("c", phases: PhaseSet.L1)];

        var result = SiteAllocator.Allocate([Site(32)], demands, AllocationStrategy.EqualShare);

        Assert.All(result, a => Assert.Contains(a.Amps, new[] { 10.6m, 10.7m }));
        // nothing a whole step could still use is left on L1
        Assert.Equal(32m, result.Sum(a => a.Amps));
    }

    [Fact]
    public void A_three_phase_EVSE_shares_only_the_phase_a_single_phase_EVSE_uses()
    {
        var shared = Amps(SiteAllocator.Allocate([Site(32)], [Evse("three"), Evse("one", phases: PhaseSet.L1)], AllocationStrategy.EqualShare));
        Assert.Equal(16m, shared["three"]);
        Assert.Equal(16m, shared["one"]);

        // a single-phase EVSE that takes less on L1 leaves the three-phase one the rest of L1 (and as much on L2 and L3)
        var capped = Amps(SiteAllocator.Allocate([Site(32)], [Evse("three"), Evse("one", max: 10, phases: PhaseSet.L1), Evse("two", phases: PhaseSet.L2)],
            AllocationStrategy.EqualShare));
        Assert.Equal(10m, capped["one"]);
        Assert.Equal(16m, capped["three"]);
        Assert.Equal(16m, capped["two"]);
    }

    [Fact]
    public void A_fixed_load_takes_its_place_on_its_phases_first()
    {
        var all = SiteAllocator.Allocate([Site(32)], [Evse("e")], AllocationStrategy.EqualShare, [new FixedLoad("offline/1", SiteAllocator.SiteNode, 20)]);
        Assert.Equal("e", Assert.Single(all).Key);
        Assert.Equal(12m, all[0].Amps);

        // 20 A on L1 only: the three-phase EVSE stops at the 12 A left on L1; the one on L2 gets the rest of L2
        var onL1 = Amps(SiteAllocator.Allocate([Site(32)], [Evse("three"), Evse("two", phases: PhaseSet.L2)], AllocationStrategy.EqualShare,
            [new FixedLoad("offline/1", SiteAllocator.SiteNode, 20, PhaseSet.L1)]));
        Assert.Equal(12m, onL1["three"]);
        Assert.Equal(20m, onL1["two"]);
    }

    [Fact]
    public void A_fixed_load_in_a_group_counts_on_the_group_and_on_the_site()
    {
        LimitNode[] nodes = [Site(50), new("feeder", SiteAllocator.SiteNode, 30)];

        var result = Amps(SiteAllocator.Allocate(nodes, [Evse("in", group: "feeder"), Evse("out", max: 63)], AllocationStrategy.EqualShare,
            [new FixedLoad("offline/1", "feeder", 20)]));

        Assert.Equal(10m, result["in"]);
        Assert.Equal(20m, result["out"]);
    }

    [Fact]
    public void Fixed_loads_over_the_limit_pause_everyone_who_needs_that_phase_and_do_not_throw()
    {
        EvseDemand[] demands = [Evse("three"), Evse("one", phases: PhaseSet.L1), Evse("no-minimum", min: 0), Evse("two", phases: PhaseSet.L2)];

        var all = SiteAllocator.Allocate([Site(32)], demands, AllocationStrategy.EqualShare, [new FixedLoad("offline/1", SiteAllocator.SiteNode, 40)]);
        Assert.All(all, a => Assert.True(a.Paused && a.Amps == 0m, $"{a.Key} got {a.Amps} A"));

        var onL1 = SiteAllocator.Allocate([Site(32)], demands, AllocationStrategy.EqualShare,
            [new FixedLoad("offline/1", SiteAllocator.SiteNode, 40, PhaseSet.L1)]).ToDictionary(a => a.Key);
        Assert.True(onL1["three"].Paused);
        Assert.True(onL1["one"].Paused);
        Assert.True(onL1["no-minimum"].Paused);
        Assert.False(onL1["two"].Paused);
        Assert.Equal(32m, onL1["two"].Amps);
    }

    [Fact]
    public void A_fixed_load_in_a_missing_group_or_a_load_without_phases_is_refused_with_the_name()
    {
        var missingGroup = Assert.Throws<ArgumentException>(() =>
            SiteAllocator.Allocate([Site(10)], [], AllocationStrategy.EqualShare, [new FixedLoad("offline/1", "ghost", 5)]));
        Assert.Contains("ghost", missingGroup.Message, StringComparison.Ordinal);
        var noPhases = Assert.Throws<ArgumentException>(() =>
            SiteAllocator.Allocate([Site(10)], [Evse("nowhere", phases: 0)], AllocationStrategy.EqualShare));
        Assert.Contains("nowhere", noPhases.Message, StringComparison.Ordinal);
        var negative = Assert.Throws<ArgumentException>(() =>
            SiteAllocator.Allocate([Site(10)], [], AllocationStrategy.EqualShare, [new FixedLoad("offline/1", SiteAllocator.SiteNode, -5)]));
        Assert.Contains("offline/1", negative.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(4000)]
    public void A_site_of_200_EVSEs_is_allocated_well_within_50_ms(int siteAmps)
    {
        // a tight site pauses some and fills the rest; a roomy one serves all 200 and raises each to its own cap
        var random = new Random(200);
        var scale = siteAmps / 400m;
        LimitNode[] nodes = [Site(siteAmps), new("g0", SiteAllocator.SiteNode, 250 * scale), new("g1", "g0", 120 * scale),
            new("g2", SiteAllocator.SiteNode, 150 * scale), new("g3", "g2", 80 * scale)];
        var demands = Enumerable.Range(0, 200).Select(i => Evse($"e{i}", random.Next(0, 60), min: random.Next(4) == 0 ? 0 : 6, max: 6 + random.Next(0, 60) + 0.1m * random.Next(10),
            priority: random.Next(3), group: nodes[random.Next(nodes.Length)].Id, phases: random.Next(2) == 0 ? PhaseSet.All : EachPhase[random.Next(3)])).ToArray();
        FixedLoad[] fixedLoads = [new("offline/1", "g1", 17.3m, PhaseSet.L2), new("offline/2", SiteAllocator.SiteNode, 22m)];

        foreach (var strategy in Enum.GetValues<AllocationStrategy>())
        {
            SiteAllocator.Allocate(nodes, demands, strategy, fixedLoads);
            // the best of a few runs, so a busy machine does not fail it
            var best = Enumerable.Range(0, 5).Min(_ =>
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                SiteAllocator.Allocate(nodes, demands, strategy, fixedLoads);
                return watch.Elapsed;
            });
            Assert.True(best < TimeSpan.FromMilliseconds(50), $"{strategy}: {best.TotalMilliseconds} ms");
        }
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
    public void No_limit_node_is_ever_exceeded_on_any_phase_and_every_EVSE_gets_nothing_or_between_its_minimum_and_its_cap(int seed, AllocationStrategy strategy)
    {
        var site = RandomSite(new Random(seed));

        var result = SiteAllocator.Allocate(site.Nodes, site.Demands, strategy, site.Fixed);

        // one allocation per demand, in order; the fixed loads are not in it
        Assert.Equal(site.Demands.Select(d => d.Key), result.Select(a => a.Key));
        var byKey = result.ToDictionary(a => a.Key);
        foreach (var node in site.Nodes)
        {
            foreach (var phase in EachPhase)
            {
                var fixedAmps = site.FixedOn(node.Id, phase);
                var users = site.Demands.Where(d => site.Uses(d, node.Id, phase)).ToArray();
                var allocated = users.Sum(d => byKey[d.Key].Amps);
                if (fixedAmps <= node.LimitAmps)
                {
                    Assert.True(fixedAmps + allocated <= node.LimitAmps,
                        $"seed {seed}: node {node.Id} carries {fixedAmps} A fixed and {allocated} A allocated on {phase}, over its {node.LimitAmps} A");
                }
                else
                {
                    Assert.All(users, d => Assert.True(byKey[d.Key].Paused && byKey[d.Key].Amps == 0m,
                        $"seed {seed}: {d.Key} got {byKey[d.Key].Amps} A though the fixed loads alone ({fixedAmps} A) overload {node.Id} on {phase}"));
                }
            }
        }
        foreach (var d in site.Demands)
        {
            var a = byKey[d.Key];
            Assert.True(a.Paused ? a.Amps == 0 : a.Amps >= Math.Min(d.MinAmps, d.MaxAmps) && a.Amps <= SiteAllocator.Cap(d),
                $"seed {seed}: {d.Key} got {a.Amps} A (paused {a.Paused}) with min {d.MinAmps}, cap {SiteAllocator.Cap(d)}");
            Assert.Equal(0m, a.Amps % SiteAllocator.Step);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_session_is_paused_only_if_its_minimum_did_not_fit_on_its_phases_beside_the_fixed_loads_and_everyone_served_before_it(
        int seed, AllocationStrategy strategy)
    {
        var site = RandomSite(new Random(seed));

        var byKey = SiteAllocator.Allocate(site.Nodes, site.Demands, strategy, site.Fixed).ToDictionary(a => a.Key);

        // the admission order: priority, then arrival; a paused session's minimum must overflow a node on one of its
        // phases given the fixed loads and the minimums of the sessions admitted before it
        var order = site.Demands.OrderByDescending(d => d.Priority).ThenBy(d => d.Arrival).ThenBy(d => d.Key, StringComparer.Ordinal).ToArray();
        var taken = site.Nodes.SelectMany(n => EachPhase.Select(p => (n.Id, p))).ToDictionary(x => x, x => site.FixedOn(x.Id, x.p));
        foreach (var d in order)
        {
            var min = Math.Ceiling(Math.Min(d.MinAmps, d.MaxAmps) / SiteAllocator.Step) * SiteAllocator.Step;
            var slots = taken.Keys.Where(x => site.Uses(d, x.Id, x.p)).ToArray();
            var fits = slots.All(x => taken[x] + min <= site.Limit(x.Id));
            Assert.True(fits != byKey[d.Key].Paused, $"seed {seed}: {d.Key} paused {byKey[d.Key].Paused} though its minimum {(fits ? "fits" : "does not fit")}");
            if (fits)
            {
                foreach (var x in slots)
                {
                    taken[x] += min;
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Nothing_is_left_that_a_served_EVSE_could_take(int seed, AllocationStrategy strategy)
    {
        var site = RandomSite(new Random(seed));

        var byKey = SiteAllocator.Allocate(site.Nodes, site.Demands, strategy, site.Fixed).ToDictionary(a => a.Key);

        var free = site.Free(byKey);
        foreach (var d in site.Demands.Where(d => !byKey[d.Key].Paused))
        {
            Assert.True(byKey[d.Key].Amps + SiteAllocator.Step > SiteAllocator.Cap(d) || free.Any(x => x.Value < SiteAllocator.Step && site.Uses(d, x.Key.Node, x.Key.Phase)),
                $"seed {seed}: {d.Key} has {byKey[d.Key].Amps} A, below its cap {SiteAllocator.Cap(d)}, and a step is free on each of its phases on its path");
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Within_a_priority_an_EVSE_gets_less_than_another_only_at_its_cap_or_behind_a_node_full_on_one_of_its_phases(
        int seed, AllocationStrategy strategy)
    {
        if (strategy == AllocationStrategy.FirstCome)
        {
            return;
        }
        var site = RandomSite(new Random(seed));

        var byKey = SiteAllocator.Allocate(site.Nodes, site.Demands, strategy, site.Fixed).ToDictionary(a => a.Key);

        var served = site.Demands.Where(d => !byKey[d.Key].Paused).ToArray();
        var free = site.Free(byKey);
        // full: less than a step left on that node's phase
        var full = free.Where(x => x.Value < SiteAllocator.Step).Select(x => x.Key).ToArray();
        foreach (var low in served)
        {
            foreach (var high in served.Where(h => strategy == AllocationStrategy.EqualShare || h.Priority == low.Priority))
            {
                if (byKey[low.Key].Amps >= byKey[high.Key].Amps)
                {
                    continue;
                }
                var lowAtCap = byKey[low.Key].Amps + SiteAllocator.Step > SiteAllocator.Cap(low);
                var lowFull = full.Where(x => site.Uses(low, x.Node, x.Phase)).ToArray();
                Assert.True(lowAtCap || lowFull.Length > 0,
                    $"seed {seed}: {low.Key} has {byKey[low.Key].Amps} A and {high.Key} {byKey[high.Key].Amps} A, yet {low.Key} is not at its cap " +
                    "nor behind a node full on one of its phases");
                // clearly less (the last steps go one each, in order): then what stops it is a full (node, phase) that
                // the other does not draw from, unless the other got no more than its own minimum
                if (byKey[low.Key].Amps + SiteAllocator.Step >= byKey[high.Key].Amps)
                {
                    continue;
                }
                var highAtItsMinimum = byKey[high.Key].Amps <= Math.Ceiling(high.MinAmps / SiteAllocator.Step) * SiteAllocator.Step;
                var lowBehindOwnFullPhase = lowFull.Any(x => !site.Uses(high, x.Node, x.Phase));
                Assert.True(lowAtCap || highAtItsMinimum || lowBehindOwnFullPhase,
                    $"seed {seed}: {low.Key} has {byKey[low.Key].Amps} A and {high.Key} {byKey[high.Key].Amps} A, yet {low.Key} is not at its cap " +
                    $"nor behind a node full on a phase that {high.Key} does not draw from there");
            }
        }
    }

    private sealed record RandomSiteCase(LimitNode[] Nodes, EvseDemand[] Demands, FixedLoad[]? Fixed)
    {
        private readonly Dictionary<string, HashSet<string>> _paths = Nodes.ToDictionary(n => n.Id, n => PathOf(Nodes, n.Id));

        public decimal Limit(string node) => Nodes.Single(n => n.Id == node).LimitAmps;

        /// <summary>Whether a load in <paramref name="group"/> on <paramref name="phases"/> counts on <paramref name="node"/>'s <paramref name="phase"/>.</summary>
        public bool CountsOn(string group, PhaseSet phases, string node, PhaseSet phase) => _paths[group].Contains(node) && phases.HasFlag(phase);

        public bool Uses(EvseDemand d, string node, PhaseSet phase) => CountsOn(d.Group, d.Phases, node, phase);

        public decimal FixedOn(string node, PhaseSet phase) => (Fixed ?? []).Where(f => CountsOn(f.Group, f.Phases, node, phase)).Sum(f => f.Amps);

        /// <summary>What is left on each (node, phase) after the fixed loads and the allocations.</summary>
        public Dictionary<(string Node, PhaseSet Phase), decimal> Free(Dictionary<string, EvseAllocation> byKey) =>
            Nodes.SelectMany(n => EachPhase.Select(p => (n.Id, p))).ToDictionary(x => x,
                x => Limit(x.Id) - FixedOn(x.Id, x.p) - Demands.Where(d => Uses(d, x.Id, x.p)).Sum(d => byKey[d.Key].Amps));
    }

    private static RandomSiteCase RandomSite(Random random)
    {
        var nodes = new List<LimitNode> { Site(random.Next(0, 400) + (decimal)random.Next(0, 10) / 10) };
        for (var g = 0; g < random.Next(0, 4); g++)
        {
            var parent = nodes[random.Next(nodes.Count)].Id;
            nodes.Add(new LimitNode($"g{g}", parent, random.Next(0, 150)));
        }
        // mostly three-phase (or phase not known), some on one known phase, a few on two
        PhaseSet RandomPhases() => random.Next(10) switch
        {
            < 6 => PhaseSet.All,
            < 9 => EachPhase[random.Next(3)],
            _ => PhaseSet.All & ~EachPhase[random.Next(3)],
        };
        var demands = Enumerable.Range(0, random.Next(0, 40)).Select(i =>
        {
            var min = random.Next(4) == 0 ? 0m : random.Next(5, 11);
            var max = min + random.Next(0, 60) + (decimal)random.Next(0, 10) / 10;
            var allowed = random.Next(2) == 0 ? (decimal?)random.Next(0, 64) : null;
            var drawn = allowed is { } a && random.Next(2) == 0 ? (decimal?)(random.Next(0, (int)a + 1) + 0.3m) : null;
            return new EvseDemand($"e{i}", nodes[random.Next(nodes.Count)].Id, min, max, random.Next(0, 3), T0.AddSeconds(random.Next(0, 3600)), drawn, allowed,
                RandomPhases());
        }).ToArray();
        // sometimes none (null or empty), else a few, some not in whole steps, some over a node's limit on their own
        var fixedLoads = random.Next(3) switch
        {
            0 => null,
            1 => random.Next(2) == 0 ? [] : null,
            _ => Enumerable.Range(0, random.Next(1, 5)).Select(i => new FixedLoad($"offline/{i}", nodes[random.Next(nodes.Count)].Id,
                random.Next(0, 80) + (decimal)random.Next(0, 100) / 100, RandomPhases())).ToArray(),
        };
        return new RandomSiteCase([.. nodes], demands, fixedLoads);
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
