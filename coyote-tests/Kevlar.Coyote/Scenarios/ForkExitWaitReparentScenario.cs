// TestForkExitWaitReparent: a process tree over four CPUs —
//   init(1)@0 ── A(2)@1 ── A1(4)@2, A2(5)@3, and F(9), forked by A at its start
//            ├─ B(3)@2 ── B1(6)@3 ── B1a(7)@1
//            └─ K(8)@3, which SIGKILLs A1, A and B1 in turn
// init, A and B reap their children in a wait4(-1) loop; B1 never waits, so
// B1a may still be its zombie when B1 dies; A2, B1a and F exit by themselves.
// So leaves and middle processes die concurrently with their parents' waits,
// and orphans (live, dying or already zombies) pass to init while their exit
// reports are in flight. Checks: every exited process reaped exactly once
// (ReapOnce, ExitReaped), by its parent or by init; no report lost
// (NoLostExitReport) and no waiter left behind a zombie (NoLostWakeup);
// statuses as expected; pages freed; ProcessCount and the table back to the
// living (init, B, K).
using Kevlar.Coyote.Harness;
using Kevlar.Coyote.Mocks.Processes;
using Kevlar.Process.Signals;
using Microsoft.Coyote.Actors;

namespace Kevlar.Coyote.Scenarios;

public static class ForkExitWaitReparentScenario
{
    public const int Cpus = 4;

    public static void Run(IActorRuntime runtime)
    {
        var w = new ProcessWorld(runtime, Cpus);
        var reaper = Programs.Reaper(w.Ledger);
        var init = w.Spawn(null, 0, reaper);
        var a = w.Spawn(init, 1, Programs.ForkThen(Programs.Exiter(9), reaper));
        var b = w.Spawn(init, 2, reaper);
        var a1 = w.Spawn(a, 2, Programs.Sleeper);
        var a2 = w.Spawn(a, 3, Programs.Exiter(5, yields: 1));
        var b1 = w.Spawn(b, 3, Programs.Sleeper);
        var b1a = w.Spawn(b1, 1, Programs.Exiter(7));
        int sigkill = Signal.SIGKILL;
        var k = w.Spawn(init, 3, Programs.Killer(w.Ledger, (a1.Pid, sigkill), (a.Pid, sigkill), (b1.Pid, sigkill)));
        int killed = WaitStatus.Killed(sigkill, false);
        w.Ledger.ExpectStatus(a.Pid, killed);
        w.Ledger.ExpectStatus(a1.Pid, killed);
        w.Ledger.ExpectStatus(b1.Pid, killed);
        w.Ledger.ExpectStatus(a2.Pid, WaitStatus.Exited(5));
        w.Ledger.ExpectStatus(b1a.Pid, WaitStatus.Exited(7));
        w.Ledger.ExpectStatus(k.Pid + 1, WaitStatus.Exited(9)); // F: the only fork, so the next pid
        w.MustDie(a, a1, a2, b1, b1a);
        w.MustLive(init, b, k);
        w.Run();
    }
}
