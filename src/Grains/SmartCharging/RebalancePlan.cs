namespace Csms.Grains.SmartCharging;

/// <summary>
/// The order in which a new allocation is pushed so that the site limit holds at every moment: first every EVSE
/// whose limit goes down (or that is paused), and only once all of those are accepted, the ones that go up. An EVSE
/// whose limit is not known to be in force counts at its maximum until it is.
/// </summary>
public sealed record RebalancePlan(IReadOnlyList<EvseAllocation> Lower, IReadOnlyList<EvseAllocation> Raise)
{
    /// <param name="inForce">The limit each EVSE last accepted (absent: unknown, e.g. just started).</param>
    /// <param name="target">The new allocation.</param>
    public static RebalancePlan Between(IReadOnlyDictionary<string, decimal> inForce, IReadOnlyList<EvseAllocation> target)
    {
        var lower = new List<EvseAllocation>();
        var raise = new List<EvseAllocation>();
        foreach (var a in target)
        {
            if (!inForce.TryGetValue(a.Key, out var current) || a.Amps < current)
            {
                // unknown counts as "may be drawing anything": it is brought down first, like a lowering
                lower.Add(a);
            }
            else if (a.Amps > current)
            {
                raise.Add(a);
            }
        }
        return new RebalancePlan(lower, raise);
    }
}
