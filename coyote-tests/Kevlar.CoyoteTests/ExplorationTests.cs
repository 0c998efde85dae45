// Bounded exploration of each scenario with no seeded bug: no bug may be found,
// except one of the test's open real bugs (Catalog.RealBugs; RealBugTests
// checks those are still found).
using Kevlar.Coyote.Exploration;
using Xunit;

namespace Kevlar.CoyoteTests;

public class ExplorationTests
{
    // CiIterations of random exploration (which finds the deadlocks PCT does
    // not), then a third as many with PCT, which keeps a preempted CPU stalled
    // for long stretches, then a tenth as many with fair-pct, whose fair suffix
    // turns a monitor hot for too long into a liveness bug.
    private static void ExploreClean(string name)
    {
        ExplorationTest t = Catalog.FindTest(name)!;
        ExploreResult r = ExplorationRunner.Explore(t, null, new ExploreOptions { Iterations = t.CiIterations, Seed = 1 });
        AssertNoBugButOpenOnes(t, r, t.CiIterations);
        if (!r.BugFound)
        {
            // Sparse runs scale their density to the catalog's figure: it must stay near the truth.
            Assert.InRange(r.Points / r.Iterations, t.PointsPerRun / 2, t.PointsPerRun * 2);
        }
        uint pct = t.CiIterations / 3;
        r = ExplorationRunner.Explore(t, null, new ExploreOptions { Iterations = pct, Strategy = "pct", Seed = 1 });
        AssertNoBugButOpenOnes(t, r, pct);
        uint fair = Math.Max(20, t.CiIterations / 10);
        r = ExplorationRunner.Explore(t, null, new ExploreOptions { Iterations = fair, Strategy = "fair-pct", Seed = 1 });
        AssertNoBugButOpenOnes(t, r, fair);
    }

    private static void AssertNoBugButOpenOnes(ExplorationTest t, ExploreResult r, uint iterations)
    {
        if (!r.BugFound)
        {
            Assert.Equal(iterations, r.Iterations);
            return;
        }
        RealBug[] open = Catalog.RealBugsOf(t.Name);
        Assert.True(open.Any(b => b.Reports(r.BugText)), r.BugText);
    }

    [Fact]
    public void TestMailbox() => ExploreClean("TestMailbox");

    [Fact]
    public void TestIdleWake() => ExploreClean("TestIdleWake");

    [Fact]
    public void TestMigration() => ExploreClean("TestMigration");

    [Fact]
    public void TestSafepoint() => ExploreClean("TestSafepoint");

    [Fact]
    public void TestForkExitWaitReparent() => ExploreClean("TestForkExitWaitReparent");

    [Fact]
    public void TestWaitWakeup() => ExploreClean("TestWaitWakeup");

    [Fact]
    public void TestPipeWakeups() => ExploreClean("TestPipeWakeups");

    [Fact]
    public void TestUnixAccept() => ExploreClean("TestUnixAccept");

    [Fact]
    public void TestSignalRacingExit() => ExploreClean("TestSignalRacingExit");

    [Fact]
    public void TestFlockFork() => ExploreClean("TestFlockFork");

    [Fact]
    public void TestLockDeadlock() => ExploreClean("TestLockDeadlock");

    [Fact]
    public void TestEpollReadyList() => ExploreClean("TestEpollReadyList");

    [Fact]
    public void TestTcpLossyTransfer() => ExploreClean("TestTcpLossyTransfer");

    [Fact]
    public void Catalog_EveryTest_HasASeededBug()
    {
        foreach (var t in Catalog.Tests)
        {
            Assert.Contains(Catalog.Bugs, b => b.Test == t.Name);
        }
    }
}
