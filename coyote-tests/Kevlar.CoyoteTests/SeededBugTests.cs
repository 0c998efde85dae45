// Each seeded bug must be found within its stated iteration budget, with the
// expected invariant text: a test that can no longer fail gets noticed.
using Kevlar.Coyote.Exploration;
using Xunit;

namespace Kevlar.CoyoteTests;

public class SeededBugTests
{
    public static IEnumerable<object[]> Bugs()
    {
        foreach (var b in Catalog.Bugs)
        {
            yield return new object[] { b.Name };
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
        Assert.Contains(bug.ExpectedText, r.BugText);
        Assert.False(string.IsNullOrEmpty(r.ReproducibleTrace));
    }
}
