// TestSignalRacingExit: two processes call exit_group on their own CPUs while
// a third, on another CPU, kills one with SIGTERM and the other with SIGUSR1
// (no handlers: both terminate by default); init reaps in a loop. Checks:
// each target dies once and is reaped once, with either its own exit status
// or the signal's (WaitStatusOutcome); kill returns 0 or -ESRCH; the counts
// return to the living.
using Kevlar.Coyote.Harness;
using Kevlar.Coyote.Mocks.Processes;
using Kevlar.Process.Signals;
using Microsoft.Coyote.Actors;

namespace Kevlar.Coyote.Scenarios;

public static class SignalRacingExitScenario
{
    public const int Cpus = 4;

    public static void Run(IActorRuntime runtime)
    {
        var w = new ProcessWorld(runtime, Cpus);
        var init = w.Spawn(null, 0, Programs.Reaper(w.Ledger));
        var t1 = w.Spawn(init, 1, Programs.Exiter(3, yields: 1));
        var t2 = w.Spawn(init, 2, Programs.Exiter(4));
        var killer = w.Spawn(init, 3, Programs.Killer(w.Ledger, (t1.Pid, Signal.SIGTERM), (t2.Pid, Signal.SIGUSR1)));
        w.Ledger.ExpectStatus(t1.Pid, WaitStatus.Exited(3), WaitStatus.Killed(Signal.SIGTERM, false));
        w.Ledger.ExpectStatus(t2.Pid, WaitStatus.Exited(4), WaitStatus.Killed(Signal.SIGUSR1, false));
        w.MustDie(t1, t2);
        w.MustLive(init, killer);
        w.Run();
    }
}
