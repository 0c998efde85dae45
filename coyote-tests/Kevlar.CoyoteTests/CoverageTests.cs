// The runtime tests' scenarios (and TestHeapOutrun, the one that parks a CPU
// inside a handler), under random and PCT exploration together, reach every
// named state and transition of the four runtime protocols (Coverage.Protocols):
// a scenario change that stops driving one is noticed.
using Kevlar.Coyote.Exploration;
using Xunit;

namespace Kevlar.CoyoteTests;

public class CoverageTests
{
    [Fact]
    public void RuntimeTests_RandomAndPct_ReachEveryNamedState()
    {
        var hits = new Dictionary<string, long>();
        foreach (string name in new[] { "TestMailbox", "TestIdleWake", "TestMigration", "TestSafepoint", "TestHeapOutrun" })
        {
            ExplorationTest t = Catalog.FindTest(name)!;
            foreach (var (strategy, n) in new[] { ("random", 300u), ("pct", 200u) })
            {
                ExploreResult r = ExplorationRunner.Explore(t, null, new ExploreOptions { Iterations = n, Strategy = strategy, Seed = 1, Coverage = true });
                Assert.False(r.BugFound, r.BugText);
                foreach (var (state, count) in r.Coverage!)
                {
                    hits[state] = hits.GetValueOrDefault(state) + count;
                }
            }
        }
        var unreached = Coverage.Protocols.SelectMany(p => p.States.Select(s => p.Protocol + "." + s))
            .Where(s => hits.GetValueOrDefault(s) == 0).ToList();
        Assert.True(unreached.Count == 0, "unreached: " + string.Join(", ", unreached));
    }
}
