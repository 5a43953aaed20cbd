using Csms.Grains.SmartCharging;

namespace Csms.Grains.Tests.SmartCharging;

public class RebalancePlanTests
{
    [Fact]
    public void EVSEs_that_go_down_or_are_new_are_lowered_first_and_those_that_go_up_wait()
    {
        var inForce = new Dictionary<string, decimal> { ["a"] = 20, ["b"] = 10, ["c"] = 16 };
        EvseAllocation[] target = [new("a", 12, false), new("b", 18, false), new("c", 16, false), new("d", 6, false)];

        var plan = RebalancePlan.Between(inForce, target);

        Assert.Equal(["a", "d"], plan.Lower.Select(a => a.Key));
        Assert.Equal(["b"], plan.Raise.Select(a => a.Key));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Lowering_before_raising_keeps_every_intermediate_state_within_the_site_limit(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 200; round++)
        {
            // an old allocation and a new one, both within the site limit, for the same EVSEs
            const decimal siteLimit = 100m;
            var keys = Enumerable.Range(0, random.Next(1, 12)).Select(i => $"e{i}").ToArray();
            var old = Within(random, keys, siteLimit);
            var target = Within(random, keys, siteLimit);

            var plan = RebalancePlan.Between(old, target.Select(t => new EvseAllocation(t.Key, t.Value, false)).ToArray());

            // any subset of the lowers accepted, none of the raises sent yet
            var state = new Dictionary<string, decimal>(old);
            foreach (var lowered in plan.Lower.Where(_ => random.Next(2) == 0))
            {
                state[lowered.Key] = lowered.Amps;
            }
            Assert.True(state.Values.Sum() <= siteLimit, $"seed {seed} round {round}: {state.Values.Sum()} A while lowering");
            // all lowers accepted, then any subset of the raises
            foreach (var lowered in plan.Lower)
            {
                state[lowered.Key] = lowered.Amps;
            }
            foreach (var raised in plan.Raise.Where(_ => random.Next(2) == 0))
            {
                state[raised.Key] = raised.Amps;
            }
            Assert.True(state.Values.Sum() <= siteLimit, $"seed {seed} round {round}: {state.Values.Sum()} A while raising");
        }
    }

    private static Dictionary<string, decimal> Within(Random random, string[] keys, decimal limit)
    {
        var amps = keys.ToDictionary(k => k, _ => (decimal)random.Next(0, 40));
        var total = amps.Values.Sum();
        if (total > limit)
        {
            foreach (var k in keys)
            {
                amps[k] = Math.Floor(amps[k] * limit / total);
            }
        }
        return amps;
    }
}
