// Catalog: every exploration test and every seeded bug, with the text the
// explorer must report for it and the iteration budget within which the
// bug-finding test expects it to be found (with the default strategy/seed).
using Kevlar.Coyote.Scenarios;
using Kevlar.Runtime.Diagnostics;
using Microsoft.Coyote.Actors;

namespace Kevlar.Coyote.Exploration;

/// <summary>A test: MaxSteps bounds one run's scheduling points (a random run
/// reaching it with a liveness monitor hot is a liveness bug); PointsPerRun is
/// about how many a correct run takes (the explorer prints it), which sparse
/// runs scale their density to (Hooks.OnSparseRunStarted) and CI checks.</summary>
public sealed record ExplorationTest(string Name, string Summary, Action<IActorRuntime> Entry, uint MaxSteps, uint PointsPerRun, uint CiIterations);

/// <summary>A seeded bug: Strategy is the one its budget is stated for (the
/// default when `explore --bug` gets no --strategy). BlockedBy names an open
/// real bug that hides it: until that is fixed its test finds the real bug
/// first, so the bug-finding test and the kept trace wait for the fix.
/// AlsoExpected lists other reports the same bug may make first (a lost
/// wakeup that strands a message in one schedule strands a collection
/// request in another, or leaves a message undelivered at the run's bound).</summary>
public sealed record SeededBug(string Name, string Test, string ExpectedText, uint Budget, string Strategy, Action Enable, string? BlockedBy = null,
    string[]? AlsoExpected = null)
{
    /// <summary>Whether an exploration's bug report is this bug's.</summary>
    public bool Reports(string? bugText) =>
        Catalog.Mentions(bugText, ExpectedText) || (AlsoExpected != null && Array.Exists(AlsoExpected, t => Catalog.Mentions(bugText, t)));
}

/// <summary>A bug in the shipping code that a test finds and that is not fixed
/// yet. CI checks that the test still finds one of its open real bugs (within
/// the largest Budget, random, seed 1) and that each one's kept trace still
/// reproduces it, so a fix is noticed: then delete the entry, its trace and
/// the BlockedBy marks naming it. Where says which code is wrong.</summary>
public sealed record RealBug(string Name, string Test, string[] ExpectedTexts, uint Budget, string Where)
{
    /// <summary>Whether an exploration's bug report is this bug's.</summary>
    public bool Reports(string? bugText) => Array.Exists(ExpectedTexts, t => Catalog.Mentions(bugText, t));
}

public static class Catalog
{
    public static readonly ExplorationTest[] Tests =
    {
        new("TestMailbox", "no loss, no duplicate, FIFO per pair under concurrent senders", MailboxScenario.Run, 3000, 600, 2000),
        new("TestIdleWake", "no CPU halts while its mailbox holds a message", IdleWakeScenario.Run, 1500, 360, 2000),
        new("TestMigration", "no duplicate, no reorder, no stale home across migrations", MigrationScenario.Run, 3000, 640, 2000),
        new("TestSafepoint", "no handler runs during Collect; every CPU resumes", SafepointScenario.Run, 4000, 680, 1000),
        new("TestConsoleInput", "the serial interrupt puts bytes while the reader arms its notification: every byte is read, none waits unannounced", ConsoleInputScenario.Run, 2000, 280, 1000),
        new("TestForkExitWaitReparent", "a process tree dies concurrently: every exit reaped once, by its parent or init", ForkExitWaitReparentScenario.Run, 4000, 880, 200),
        new("TestWaitWakeup", "a parent asleep in wait4 wakes for a child exiting on another CPU", WaitWakeupScenario.Run, 2000, 400, 200),
        new("TestPipeWakeups", "a pipe's last writer closes: the blocked reader gets EOF and the poller POLLHUP", PipeWakeupsScenario.Run, 4000, 870, 200),
        new("TestSignalRacingExit", "kill racing exit_group: one death, one report, one of the two statuses", SignalRacingExitScenario.Run, 2000, 390, 200),
        new("TestFlockFork", "a flock holder forks and closes: the lock stays until the child, the description's last holder, exits", FileLocksScenario.RunFlockFork, 3000, 790, 200),
        new("TestLockDeadlock", "two processes wait for each other's range with F_SETLKW: one gets EDEADLK, both end", FileLocksScenario.RunDeadlock, 3000, 780, 200),
        new("TestThreadFutex", "threads of one process on different CPUs: a futex waiter and a waker, no lost wakeup, the process ends with its last thread", ThreadFutexScenario.Run, 2000, 300, 200),
        new("TestUnixAccept", "an AF_UNIX connection across CPUs: every byte read once in order, an accept woken by the listener's shutdown", UnixSocketScenario.RunAccept, 4000, 1450, 200),
        new("TestUnixRightsInFlight", "an fd sent with SCM_RIGHTS to a socket closed without reading it is released: the pipe it writes reaches end of file", UnixSocketScenario.RunRightsInFlight, 2000, 780, 200),
        new("TestCgroupExitMigration", "a process exits while another moves it: it leaves whichever cgroup holds it", CgroupsScenario.RunExitMigration, 2000, 400, 200),
        new("TestCgroupMigrationReader", "a move of a forking process is one step: the common parent's pids.current never reads 0", CgroupsScenario.RunMigrationReader, 3000, 720, 200),
        new("TestCgroupForkLimit", "two forks race for the last pids.max slot: one gets it, the other EAGAIN", CgroupsScenario.RunForkLimit, 3000, 580, 200),
        new("TestCgroupEventsPoll", "a poller of cgroup.events wakes with POLLPRI when a process enters and leaves", CgroupsScenario.RunEventsPoll, 2000, 490, 200),
        new("TestCgroupFreezeFork", "a fork in a cgroup races its freeze: the freeze completes, the fork returns, nothing runs while frozen", CgroupsScenario.RunFreezeFork, 3000, 1080, 200),
        new("TestCgroupThreadMove", "a thread moved to a threaded cgroup while it, its new thread and its process end: every charge comes back", CgroupsScenario.RunThreadMove, 3000, 780, 200),
        new("TestEpollReadyList", "writes to two idle pipes race an epoll_wait round: each brings its entry back to the ready list and wakes the waiter", EpollReadyListScenario.Run, 3000, 970, 200),
        new("TestConcurrentMark", "the collector marks while mutators on three CPUs move, push and drop nodes: no reachable node is ever freed", ConcurrentMarkScenario.Run, 4000, 1510, 200),
        new("TestHeapOutrun", "two handlers each drop more than the heap in one message while a concurrent cycle runs: their allocations collect from inside the handler, nothing reachable is freed, nothing runs out", HeapOutrunScenario.Run, 6000, 460, 200),
        new("TestTcpLossyTransfer", "a TCP connection across CPUs over a device that drops, duplicates and reorders: every byte read once in order or the connection reset, no lost accept/read/connect wakeup, no timer on a closed connection", TcpLossyScenario.Run, 8000, 2300, 200),
    };

    public static readonly SeededBug[] Bugs =
    {
        new("MailboxLostEnqueue", "TestMailbox", "NoLoss", 2000, "random", static () => SeededBugs.MailboxLostEnqueue = true),
        new("SleepWithoutRecheck", "TestIdleWake", "NoSleepWithPendingMessage", 2000, "random", static () => SeededBugs.SleepWithoutRecheck = true,
            AlsoExpected: ["AllCpusResume: the system went quiescent with a collection still pending"]),
        new("WakeBeforeEnqueue", "TestIdleWake", "NoSleepWithPendingMessage", 2000, "random", static () => SeededBugs.WakeBeforeEnqueue = true),
        new("TwoStepMigration", "TestMigration", "DirectOnlyAfterHandover", 2000, "random", static () => SeededBugs.TwoStepMigration = true),
        new("MigrateWithoutGrace", "TestMigration", "ForwardOnlyWhileMigrating", 2000, "pct", static () => SeededBugs.MigrateWithoutGrace = true),
        new("ConsoleArmsAfterCheck", "TestConsoleInput", "NoLostConsoleInput", 400, "random", static () => SeededBugs.ConsoleArmsAfterCheck = true),
        new("CollectBeforeAllParked", "TestSafepoint", "AllParkedBeforeCollect", 2000, "random", static () => SeededBugs.CollectBeforeAllParked = true),
        new("ReleaseWithoutWake", "TestSafepoint", "NoSleepWithPendingMessage", 2000, "random", static () => SeededBugs.ReleaseWithoutWake = true,
            AlsoExpected: ["AllCpusResume: the system went quiescent with a CPU that never came back from the safepoint (lost release wakeup)",
                "NoLoss: still hot when the run reached its bound"]),
        new("DeadParentDropsReport", "TestForkExitWaitReparent", "ChildInOneList", 300, "random", static () => SeededBugs.DeadParentDropsReport = true),
        new("WaitWithoutRecheck", "TestWaitWakeup", "NoLostWakeup", 200, "random", static () => SeededBugs.WaitWithoutRecheck = true),
        new("PipeCloseSkipsPoll", "TestPipeWakeups", "NoWaiterAfterClose", 200, "random", static () => SeededBugs.PipeCloseSkipsPoll = true),
        new("ReportBeforeStatus", "TestSignalRacingExit", "WaitStatusOutcome", 100, "pct", static () => SeededBugs.ReportBeforeStatus = true),
        new("FlockReleasedOnAnyClose", "TestFlockFork", "a flock released while a forked child still holds the description", 200, "random", static () => SeededBugs.FlockReleasedOnAnyClose = true),
        new("ListenerShutdownSkipsAccept", "TestUnixAccept", "NoLostAcceptWakeup", 200, "random", static () => SeededBugs.ListenerShutdownSkipsAccept = true),
        new("LockCycleUndetected", "TestLockDeadlock", "an F_SETLKW wait cycle not detected (processes hang instead of one getting EDEADLK)", 200, "random", static () => SeededBugs.LockCycleUndetected = true),
        new("FutexWaitUnlocked", "TestThreadFutex", "NoLostFutexWake", 200, "random", static () => SeededBugs.FutexWaitUnlocked = true),
        new("CgroupExitFromStaleGroup", "TestCgroupExitMigration", "an exiting process's pid left in its cgroup's member set", 200, "random", static () => SeededBugs.CgroupExitFromStaleGroup = true),
        new("CgroupThreadMoveKeepsCharge", "TestCgroupThreadMove", "PidsCounted: pids.current differs", 400, "random", static () => SeededBugs.CgroupThreadMoveKeepsCharge = true),
        new("CgroupFreezeHoldsForks", "TestCgroupFreezeFork", "a request/reply cycle that never completes", 400, "random", static () => SeededBugs.CgroupFreezeHoldsForks = true),
        new("CgroupTwoStepMigration", "TestCgroupMigrationReader", "migration done as two steps, observable by a pids.current reader", 400, "random", static () => SeededBugs.CgroupTwoStepMigration = true),
        new("CgroupCheckThenCharge", "TestCgroupForkLimit", "pids.max checked and charged in separate steps, so concurrent forks exceed it", 200, "random", static () => SeededBugs.CgroupCheckThenCharge = true),
        new("CgroupEventsSkipPoll", "TestCgroupEventsPoll", "a cgroup.events change that does not wake its poll waiter", 200, "random", static () => SeededBugs.CgroupEventsSkipPoll = true),
        new("EpollQuietIgnoresWakes", "TestEpollReadyList", "NoLostEpollWakeup", 200, "random", static () => SeededBugs.EpollQuietIgnoresWakes = true),
        new("WakeDroppedBeforeWait", "TestEpollReadyList", "NoLostEpollWakeup", 300, "pct", static () => SeededBugs.WakeDroppedBeforeWait = true),
        new("InFlightRightsLeakedOnClose", "TestUnixRightsInFlight", "NoLeakedInFlightFd", 200, "random", static () => SeededBugs.InFlightRightsLeakedOnClose = true),
        new("CloseSkipsAcceptWake", "TestTcpLossyTransfer", "NoLostAcceptWakeup", 100, "random", static () => SeededBugs.CloseSkipsAcceptWake = true),
        new("RtoLeftArmedAfterClose", "TestTcpLossyTransfer", "NoTimerAfterClose", 100, "random", static () => SeededBugs.RtoLeftArmedAfterClose = true),
        new("GcBarrierDropsFullBuffer", "TestConcurrentMark", "UseAfterFree", 200, "random", static () => SeededBugs.GcBarrierDropsFullBuffer = true),
        new("GcSweepFreesBlackCells", "TestConcurrentMark", "UseAfterFree", 200, "random", static () => SeededBugs.GcSweepFreesBlackCells = true),
        new("GcBarrierSkipsCollectorCpu", "TestConcurrentMark", "UseAfterFree", 200, "random", static () => SeededBugs.GcBarrierSkipsCollectorCpu = true),
        new("HeapFullWithoutCollecting", "TestHeapOutrun", "KernelPanic: gc: out of memory", 50, "random", static () => SeededBugs.HeapFullWithoutCollecting = true),
        new("HeapFullAfterOneRound", "TestHeapOutrun", "KernelPanic: gc: out of memory", 400, "pct", static () => SeededBugs.HeapFullAfterOneRound = true),
        // Real bugs Coyote found in TCP, fixed, kept as mutants exploration must keep finding.
        new("DuplicateSynSecondChild", "TestTcpLossyTransfer", "OneSocketPerConnection", 100, "random", static () => SeededBugs.DuplicateSynSecondChild = true),
        new("FinWait2NeverTimesOut", "TestTcpLossyTransfer", "is FinWait2 at the end", 400, "pct", static () => SeededBugs.FinWait2NeverTimesOut = true),
    };

    public static readonly RealBug[] RealBugs = { };

    /// <summary>Whether a bug report contains an expected text.</summary>
    public static bool Mentions(string? bugText, string expected) =>
        bugText != null && bugText.Contains(expected, StringComparison.Ordinal);

    public static ExplorationTest? FindTest(string name)
    {
        foreach (var t in Tests)
        {
            if (string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return t;
            }
        }
        return null;
    }

    /// <summary>True while the real bug that hides <paramref name="b"/> is open.</summary>
    public static bool IsBlocked(SeededBug b) => b.BlockedBy != null && Array.Exists(RealBugs, r => r.Name == b.BlockedBy);

    /// <summary>The open real bugs <paramref name="test"/> finds.</summary>
    public static RealBug[] RealBugsOf(string test) => Array.FindAll(RealBugs, b => b.Test == test);

    public static SeededBug? FindBug(string name)
    {
        foreach (var b in Bugs)
        {
            if (string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return b;
            }
        }
        return null;
    }
}
