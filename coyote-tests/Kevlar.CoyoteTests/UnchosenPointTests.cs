// The harness does not hand Coyote a point at which no other operation could
// run (Hooks). Here every such point is handed over anyway, and none may let
// another operation run: the harness's judgement matches Coyote's.
using Kevlar.Coyote.Exploration;
using Kevlar.Coyote.Harness;
using Xunit;

namespace Kevlar.CoyoteTests;

public class UnchosenPointTests
{
    [Theory]
    [InlineData("TestIdleWake")]
    [InlineData("TestMigration")]
    [InlineData("TestSafepoint")]
    [InlineData("TestForkExitWaitReparent")]
    [InlineData("TestConcurrentMark")]
    [InlineData("TestTcpLossyTransfer")]
    public void PointsJudgedChoiceless_LetNoOtherOperationRun(string name)
    {
        ExplorationTest t = Catalog.FindTest(name)!;
        long judged = Hooks.Unchosen;
        long misjudged = Hooks.MisjudgedUnchosen;
        Hooks.VerifyUnchosen = true;
        ExploreResult r;
        try
        {
            r = ExplorationRunner.Explore(t, null, new ExploreOptions { Iterations = 160, Seed = 7 });
        }
        finally
        {
            Hooks.VerifyUnchosen = false;
        }
        Assert.False(r.BugFound, r.BugText);
        Assert.True(Hooks.Unchosen > judged, "no point was judged choiceless");
        Assert.Equal(0, Hooks.MisjudgedUnchosen - misjudged);
    }
}
