// Each seeded bug must be found within its stated iteration budget, with the
// expected invariant text: a test that can no longer fail gets noticed. A bug
// blocked by an open real bug (which its test finds first) waits for the fix.
using Kevlar.Coyote.Exploration;
using Xunit;

namespace Kevlar.CoyoteTests;

public class SeededBugTests
{
    public static IEnumerable<object[]> Bugs()
    {
        foreach (var b in Catalog.Bugs)
        {
            if (!Catalog.IsBlocked(b))
            {
                yield return new object[] { b.Name };
            }
        }
    }

    [Fact]
    public void Catalog_BlockedSeededBug_IsBlockedByARealBugOfItsTest()
    {
        foreach (var b in Catalog.Bugs.Where(Catalog.IsBlocked))
        {
            Assert.Contains(Catalog.RealBugsOf(b.Test), r => r.Name == b.BlockedBy);
        }
    }

    [Theory]
    [MemberData(nameof(Bugs))]
    public void Explore_SeededBug_FoundWithinBudgetWithExpectedText(string bugName)
    {
        SeededBug bug = Catalog.FindBug(bugName)!;
        ExplorationTest test = Catalog.FindTest(bug.Test)!;
        ExploreResult r = ExplorationRunner.Explore(test, bug,
            new ExploreOptions { Iterations = bug.Budget, Strategy = bug.Strategy, Seed = 1 });
        Assert.True(r.BugFound, bugName + " not found in " + bug.Budget + " iterations");
        Assert.True(bug.Reports(r.BugText), bugName + " reported something else: " + r.BugText);
        Assert.False(string.IsNullOrEmpty(r.ReproducibleTrace));
    }
}
