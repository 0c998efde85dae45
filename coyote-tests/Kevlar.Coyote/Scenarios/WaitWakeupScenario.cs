// TestWaitWakeup: a parent reaping in a wait4(-1) loop on one CPU (after one
// time slice of other work) while its two children exit on two others, so
// each report may arrive before the parent's call or while it sleeps. Checks: the parent never
// sleeps with a zombie to reap (NoLostWakeup, liveness and at quiescence);
// each child reaped once with its own status; the counts return to the living.
using Kevlar.Coyote.Harness;
using Kevlar.Coyote.Mocks.Processes;
using Kevlar.Process.Signals;
using Microsoft.Coyote.Actors;

namespace Kevlar.Coyote.Scenarios;

public static class WaitWakeupScenario
{
    public const int Cpus = 4;

    public static void Run(IActorRuntime runtime)
    {
        var w = new ProcessWorld(runtime, Cpus);
        var init = w.Spawn(null, 0, Programs.Reaper(w.Ledger));
        var parent = w.Spawn(init, 1, Programs.Reaper(w.Ledger, yieldsFirst: 1));
        var c1 = w.Spawn(parent, 2, Programs.Exiter(1, yields: 1));
        var c2 = w.Spawn(parent, 3, Programs.Exiter(2));
        w.Ledger.ExpectStatus(c1.Pid, WaitStatus.Exited(1));
        w.Ledger.ExpectStatus(c2.Pid, WaitStatus.Exited(2));
        w.MustDie(c1, c2);
        w.MustLive(init, parent);
        w.Run();
    }
}
