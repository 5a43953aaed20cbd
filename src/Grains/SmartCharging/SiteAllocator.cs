namespace Csms.Grains.SmartCharging;

/// <summary>
/// Shares a site's current among its charging EVSEs. Pure: the same inputs give the same allocation.
/// <para>
/// Load is counted per phase: an EVSE's current counts on each phase of its <see cref="EvseDemand.Phases"/>, on its
/// group and on every node above it, and every limit node may carry its limit on each of L1, L2 and L3. Fixed loads
/// (<see cref="FixedLoad"/>: what the allocator cannot change, such as an offline station still drawing under an older
/// limit) take their place on their phases before anything is allocated.
/// </para>
/// <para>
/// Guarantees, for every strategy: on every limit node (the site and each group) and on each phase, the fixed loads
/// plus the allocations of the EVSEs using that phase never exceed the node's limit; where the fixed loads alone
/// already exceed it, nothing is given on that phase under that node (whoever needs it is paused). Every EVSE gets 0
/// or at least its minimum and at most its cap; when the minimums do not all fit, the lowest-priority (then latest)
/// sessions are paused rather than everyone starved. Under equal share (and within a priority level) an EVSE gets less
/// than another only if it is at its own cap or behind a limit node that is full on one of its phases.
/// </para>
/// <para>
/// An EV that draws clearly less than it is allowed is capped near what it draws (plus <see cref="Headroom"/>), so the
/// rest goes to others; once it draws up to its allowance again the cap goes.
/// </para>
/// </summary>
public static class SiteAllocator
{
    public const string SiteNode = "site";

    /// <summary>The resolution of the limits sent to stations (charging profiles carry one decimal).</summary>
    public const decimal Step = 0.1m;

    /// <summary>Room left above what an EV draws when it draws less than allowed, so it can ramp up and show it wants more.</summary>
    public const decimal Headroom = 2m;

    /// <summary>An EV drawing this much below its allowance counts as not using it all.</summary>
    public const decimal UnusedMargin = 1m;

    private const int PhaseCount = 3;

    /// <summary>
    /// Allocates the site's current among <paramref name="demands"/> under <paramref name="strategy"/>, beside the
    /// <paramref name="fixedLoads"/> (none if null). Returns one allocation per demand, in the demands' order; fixed
    /// loads are not in it.
    /// </summary>
    /// <exception cref="ArgumentException">The limit nodes do not form a tree under the site's node, or a demand or a
    /// fixed load names a group the site does not have, has no phases, or (a fixed load) has negative amps.</exception>
    public static IReadOnlyList<EvseAllocation> Allocate(IReadOnlyList<LimitNode> nodes, IReadOnlyList<EvseDemand> demands, AllocationStrategy strategy,
        IReadOnlyList<FixedLoad>? fixedLoads = null)
    {
        var tree = new Tree(nodes);
        // what is still free on each (node, phase): the limit, less the fixed loads (which may leave less than nothing)
        var free = tree.Limits();
        foreach (var f in fixedLoads ?? [])
        {
            if (f.Amps < 0)
            {
                throw new ArgumentException($"fixed load '{f.Key}' has {f.Amps} A, less than nothing", nameof(fixedLoads));
            }
            foreach (var slot in tree.Slots(f.Group, f.Phases, $"fixed load '{f.Key}'", nameof(fixedLoads)))
            {
                free[slot] -= f.Amps;
            }
        }
        var evses = demands.Select(d => new Evse(d, tree.Slots(d.Group, d.Phases, $"EVSE '{d.Key}'", nameof(demands)))).ToArray();

        // the order in which sessions keep their minimum when not all fit: priority, then arrival (first come keeps it)
        var order = evses.OrderByDescending(e => e.Demand.Priority).ThenBy(e => e.Demand.Arrival).ThenBy(e => e.Demand.Key, StringComparer.Ordinal).ToArray();
        foreach (var e in order)
        {
            // in whole steps, so every allocation is one a charging profile can carry exactly
            var min = Math.Ceiling(Math.Max(0m, Math.Min(e.Demand.MinAmps, e.Demand.MaxAmps)) / Step) * Step;
            if (e.Slots.All(s => free[s] >= min))
            {
                e.Admitted = true;
                Add(e, min, free);
            }
        }

        var admitted = order.Where(e => e.Admitted).ToArray();
        switch (strategy)
        {
            case AllocationStrategy.EqualShare:
                Fill(admitted, free);
                break;
            case AllocationStrategy.Priority:
                foreach (var level in admitted.GroupBy(e => e.Demand.Priority).OrderByDescending(g => g.Key))
                {
                    Fill(level.ToArray(), free);
                }
                break;
            case AllocationStrategy.FirstCome:
                foreach (var e in admitted.OrderBy(e => e.Demand.Arrival).ThenBy(e => e.Demand.Key, StringComparer.Ordinal))
                {
                    Fill([e], free);
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "unknown strategy");
        }

        return evses.Select(e => e.Admitted
                ? new EvseAllocation(e.Demand.Key, Floor(e.Given), false)
                : new EvseAllocation(e.Demand.Key, 0m, true))
            .ToArray();
    }

    /// <summary>What an EVSE may usefully take: its maximum, or near what it draws when it leaves part of its allowance unused.</summary>
    public static decimal Cap(EvseDemand d)
    {
        var max = Math.Max(0m, d.MaxAmps);
        if (d.DrawnAmps is { } drawn && d.AllowedAmps is { } allowed && drawn < allowed - UnusedMargin)
        {
            return Math.Min(max, Math.Max(d.MinAmps, drawn + Headroom));
        }
        return max;
    }

    /// <summary>
    /// Water-filling in steps of <see cref="Step"/> (max-min fair): the EVSEs of <paramref name="set"/> with the least
    /// are raised together to the next level up, until each reaches its cap or a limit node above it is full on one of
    /// its phases. When an equal raise of one step no longer fits on some node's phase, the last steps go one each, in
    /// the set's order.
    /// </summary>
    private static void Fill(IReadOnlyList<Evse> set, decimal[] free)
    {
        // an EVSE that is closed stays closed: its cap does not move and what is free only shrinks
        var open = set.Where(e => e.IsOpen(free)).ToList();
        var sharing = new int[free.Length];
        var lowest = new List<Evse>();
        while (open.Count > 0)
        {
            var level = open.Min(e => e.Given);
            // up to the next level (where the others already are), unless a cap or a full phase of a node stops it sooner
            var raise = decimal.MaxValue;
            lowest.Clear();
            foreach (var e in open)
            {
                if (e.Given == level)
                {
                    lowest.Add(e);
                    raise = Math.Min(raise, e.Cap - e.Given);
                }
                else
                {
                    raise = Math.Min(raise, e.Given - level);
                }
            }
            Array.Clear(sharing);
            foreach (var e in lowest)
            {
                foreach (var s in e.Slots)
                {
                    sharing[s]++;
                }
            }
            raise = Floor(raise);
            for (var s = 0; s < sharing.Length && raise >= Step; s++)
            {
                if (sharing[s] > 0)
                {
                    raise = Math.Min(raise, Share(free[s], sharing[s]));
                }
            }
            if (raise >= Step)
            {
                foreach (var e in lowest)
                {
                    Add(e, raise, free);
                }
            }
            else
            {
                // less than a step each is left on some node's phase: one step at a time, in order, while it fits;
                // every pass gives at least one step (the first of the lowest has room on all its phases), and closes
                // at least one EVSE, so this ends
                foreach (var e in lowest)
                {
                    if (e.IsOpen(free))
                    {
                        Add(e, Step, free);
                    }
                }
            }
            open.RemoveAll(e => !e.IsOpen(free));
        }
    }

    /// <summary>The most, in whole steps, that each of <paramref name="count"/> EVSEs can take out of <paramref name="free"/>.</summary>
    private static decimal Share(decimal free, int count)
    {
        if (free < Step)
        {
            return 0m;
        }
        var share = Floor(free / count);
        // decimal division rounds its last digit; never let that round a share up past what is free
        return share * count > free ? share - Step : share;
    }

    private static void Add(Evse e, decimal amps, decimal[] free)
    {
        e.Given += amps;
        foreach (var s in e.Slots)
        {
            free[s] -= amps;
        }
    }

    private static decimal Floor(decimal amps) => Math.Floor(amps / Step) * Step;

    /// <summary>An EVSE while it is being allocated: the (node, phase) slots its current counts on, and what it has so far.</summary>
    private sealed class Evse(EvseDemand demand, int[] slots)
    {
        public EvseDemand Demand { get; } = demand;

        /// <summary>Indexes into the free current per (node, phase), one for each phase it uses on each node of its path.</summary>
        public int[] Slots { get; } = slots;

        public decimal Cap { get; } = SiteAllocator.Cap(demand);

        public decimal Given { get; set; }

        public bool Admitted { get; set; }

        /// <summary>Can still take a step: below its cap by a step, and a step free on each of its phases on each node of its path.</summary>
        public bool IsOpen(decimal[] free)
        {
            if (Cap - Given < Step)
            {
                return false;
            }
            foreach (var s in Slots)
            {
                if (free[s] < Step)
                {
                    return false;
                }
            }
            return true;
        }
    }

    /// <summary>The limit nodes, and for each group the path up to the site.</summary>
    private sealed class Tree
    {
        private readonly IReadOnlyList<LimitNode> _nodes;
        private readonly Dictionary<string, int[]> _paths = new(StringComparer.Ordinal);

        public Tree(IReadOnlyList<LimitNode> nodes)
        {
            _nodes = nodes;
            var byId = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
            var index = nodes.Select((n, i) => (n.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
            if (!byId.TryGetValue(SiteNode, out var site) || site.Parent is not null)
            {
                throw new ArgumentException($"the site's own limit node '{SiteNode}' (without a parent) is missing", nameof(nodes));
            }
            foreach (var node in nodes)
            {
                var path = new List<LimitNode>();
                for (var n = node; n is not null; n = n.Parent is null ? null : byId.GetValueOrDefault(n.Parent)
                    ?? throw new ArgumentException($"group '{n.Id}' names a parent '{n.Parent}' that does not exist", nameof(nodes)))
                {
                    if (path.Contains(n))
                    {
                        throw new ArgumentException($"group '{node.Id}' is inside itself", nameof(nodes));
                    }
                    path.Add(n);
                }
                _paths[node.Id] = [.. path.Select(n => index[n.Id])];
            }
        }

        /// <summary>Each node's limit on each of its phases, indexed as the slots are.</summary>
        public decimal[] Limits()
        {
            var limits = new decimal[_nodes.Count * PhaseCount];
            for (var i = 0; i < limits.Length; i++)
            {
                limits[i] = _nodes[i / PhaseCount].LimitAmps;
            }
            return limits;
        }

        /// <summary>The (node, phase) slots a load in <paramref name="group"/> on <paramref name="phases"/> counts on.</summary>
        public int[] Slots(string group, PhaseSet phases, string what, string parameter)
        {
            if (!_paths.TryGetValue(group, out var path))
            {
                throw new ArgumentException($"{what} is in group '{group}', which the site does not have", parameter);
            }
            if (phases == 0 || (phases & ~PhaseSet.All) != 0)
            {
                throw new ArgumentException($"{what} has phases '{phases}', which is not a set of L1, L2 and L3", parameter);
            }
            var slots = new List<int>(path.Length * PhaseCount);
            foreach (var node in path)
            {
                for (var p = 0; p < PhaseCount; p++)
                {
                    if (((int)phases & (1 << p)) != 0)
                    {
                        slots.Add(node * PhaseCount + p);
                    }
                }
            }
            return [.. slots];
        }
    }
}
