// Open real bugs (Catalog.RealBugs) are still there: a test that finds one
// keeps finding one. When this fails, the code was fixed: delete the entry,
// its kept trace, and the BlockedBy marks that name it.
using Kevlar.Coyote.Exploration;
using Xunit;

namespace Kevlar.CoyoteTests;

public class RealBugTests
{
    // With no open real bug the theory gets one "" row, which checks just that: a theory
    // without data would fail to run.
    public static IEnumerable<object[]> TestsWithOpenRealBugs()
    {
        string[] tests = Catalog.RealBugs.Select(b => b.Test).Distinct().ToArray();
        if (tests.Length == 0)
        {
            yield return new object[] { "" };
        }
        foreach (string test in tests)
        {
            yield return new object[] { test };
        }
    }

    [Theory]
    [MemberData(nameof(TestsWithOpenRealBugs))]
    public void Explore_TestWithOpenRealBugs_StillFindsOne(string testName)
    {
        if (testName.Length == 0)
        {
            Assert.Empty(Catalog.RealBugs);
            return;
        }
        RealBug[] open = Catalog.RealBugsOf(testName);
        uint budget = open.Max(b => b.Budget);
        ExploreResult r = ExplorationRunner.Explore(Catalog.FindTest(testName)!, null,
            new ExploreOptions { Iterations = budget, Seed = 1 });
        Assert.True(r.BugFound, testName + " found none of its open real bugs in " + budget
            + " iterations: if they are fixed, remove them from Catalog.RealBugs");
        Assert.True(open.Any(b => b.Reports(r.BugText)), r.BugText);
    }
}
