namespace Csms.Grains.SmartCharging;

/// <summary>
/// Shares a site's current among its charging EVSEs. Pure: the same inputs give the same allocation.
/// <para>
/// Guarantees, for every strategy: the sum of the allocations under every limit node (the site and each group) never
/// exceeds the node's limit; every EVSE gets 0 or at least its minimum and at most its maximum; when the minimums do
/// not all fit, the lowest-priority (then latest) sessions are paused rather than everyone starved. Under equal share
/// (and within a priority level) an EVSE gets less than another only if it is at its own cap or behind a full limit
/// node.
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

    public static IReadOnlyList<EvseAllocation> Allocate(IReadOnlyList<LimitNode> nodes, IReadOnlyList<EvseDemand> demands, AllocationStrategy strategy)
    {
        var tree = new Tree(nodes);
        foreach (var d in demands)
        {
            tree.Check(d);
        }

        // the order in which sessions keep their minimum when not all fit: priority, then arrival (first come keeps it)
        var order = demands.OrderByDescending(d => d.Priority).ThenBy(d => d.Arrival).ThenBy(d => d.Key, StringComparer.Ordinal).ToArray();
        var given = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var load = nodes.ToDictionary(n => n.Id, _ => 0m, StringComparer.Ordinal);
        foreach (var d in order)
        {
            // in whole steps, so every allocation is one a charging profile can carry exactly
            var min = Math.Ceiling(Math.Max(0m, Math.Min(d.MinAmps, d.MaxAmps)) / Step) * Step;
            if (tree.Path(d.Group).All(n => load[n.Id] + min <= n.LimitAmps))
            {
                given[d.Key] = min;
                foreach (var n in tree.Path(d.Group))
                {
                    load[n.Id] += min;
                }
            }
        }

        var admitted = order.Where(d => given.ContainsKey(d.Key)).ToArray();
        switch (strategy)
        {
            case AllocationStrategy.EqualShare:
                Fill(tree, admitted, given, load);
                break;
            case AllocationStrategy.Priority:
                foreach (var level in admitted.GroupBy(d => d.Priority).OrderByDescending(g => g.Key))
                {
                    Fill(tree, level.ToArray(), given, load);
                }
                break;
            case AllocationStrategy.FirstCome:
                foreach (var d in admitted.OrderBy(d => d.Arrival).ThenBy(d => d.Key, StringComparer.Ordinal))
                {
                    Fill(tree, [d], given, load);
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "unknown strategy");
        }

        return demands.Select(d => given.TryGetValue(d.Key, out var amps)
                ? new EvseAllocation(d.Key, Floor(amps), false)
                : new EvseAllocation(d.Key, 0m, true))
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
    /// are raised together to the next level up, until each reaches its cap or a limit node above it is full. When an
    /// equal raise of one step no longer fits under a node, the last steps go one each, in the set's order.
    /// </summary>
    private static void Fill(Tree tree, IReadOnlyList<EvseDemand> set, Dictionary<string, decimal> given, Dictionary<string, decimal> load)
    {
        bool Open(EvseDemand d) => Cap(d) - given[d.Key] >= Step && tree.Path(d.Group).All(n => n.LimitAmps - load[n.Id] >= Step);
        while (set.Where(Open).ToArray() is { Length: > 0 } open)
        {
            var level = open.Min(d => given[d.Key]);
            var lowest = open.Where(d => given[d.Key] == level).ToArray();
            // up to the next level (where the others already are), unless a cap or a limit node stops it sooner
            var raise = open.Where(d => given[d.Key] > level).Select(d => given[d.Key] - level).DefaultIfEmpty(decimal.MaxValue).Min();
            raise = Math.Min(raise, lowest.Min(d => Cap(d) - given[d.Key]));
            foreach (var under in lowest.SelectMany(d => tree.Path(d.Group)).GroupBy(n => n.Id))
            {
                var node = under.First();
                raise = Math.Min(raise, (node.LimitAmps - load[node.Id]) / under.Count());
            }
            raise = Floor(raise);
            if (raise >= Step)
            {
                foreach (var d in lowest)
                {
                    Add(tree, d, raise, given, load);
                }
                continue;
            }
            // less than a step each is left under some node: one step at a time, in order, while it fits; every pass
            // gives at least one step (the first of the lowest has room everywhere), so this ends
            foreach (var d in lowest)
            {
                if (Open(d))
                {
                    Add(tree, d, Step, given, load);
                }
            }
        }
    }

    private static void Add(Tree tree, EvseDemand d, decimal amps, Dictionary<string, decimal> given, Dictionary<string, decimal> load)
    {
        given[d.Key] += amps;
        foreach (var n in tree.Path(d.Group))
        {
            load[n.Id] += amps;
        }
    }

    private static decimal Floor(decimal amps) => Math.Floor(amps / Step) * Step;

    /// <summary>The limit nodes, and for each group the path up to the site.</summary>
    private sealed class Tree
    {
        private readonly Dictionary<string, LimitNode> _byId;
        private readonly Dictionary<string, LimitNode[]> _paths = new(StringComparer.Ordinal);

        public Tree(IReadOnlyList<LimitNode> nodes)
        {
            Nodes = nodes;
            _byId = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
            if (!_byId.TryGetValue(SiteNode, out var site) || site.Parent is not null)
            {
                throw new ArgumentException($"the site's own limit node '{SiteNode}' (without a parent) is missing", nameof(nodes));
            }
            foreach (var node in nodes)
            {
                var path = new List<LimitNode>();
                for (var n = node; n is not null; n = n.Parent is null ? null : _byId.GetValueOrDefault(n.Parent)
                    ?? throw new ArgumentException($"group '{n.Id}' names a parent '{n.Parent}' that does not exist", nameof(nodes)))
                {
                    if (path.Contains(n))
                    {
                        throw new ArgumentException($"group '{node.Id}' is inside itself", nameof(nodes));
                    }
                    path.Add(n);
                }
                _paths[node.Id] = [.. path];
            }
        }

        public IReadOnlyList<LimitNode> Nodes { get; }

        public LimitNode[] Path(string group) => _paths[group];

        public void Check(EvseDemand d)
        {
            if (!_paths.ContainsKey(d.Group))
            {
                throw new ArgumentException($"EVSE '{d.Key}' is in group '{d.Group}', which the site does not have", nameof(d));
            }
        }
    }
}
