// TestThreadFutex: one process whose threads run on different CPUs. Its main
// thread starts a waiter (`while (word == 0) futex_wait(&word, 0)`) and a
// waker (`word = 1; futex_wake(&word, 1)`), then exits; each thread exits
// when done, so the process ends with its last thread and init reaps it.
// The waiter's check and queueing and the waker's wake are kernel steps under
// the process's kernel lock, so they cannot interleave: whatever the order,
// the waiter sees 1 or is woken. Checks: no thread sleeps in FUTEX_WAIT while
// the word is 1 (NoLostFutexWake), the process exits 0 and is reaped once.
using Kevlar.Coyote.Harness;
using Kevlar.Coyote.Mocks.Processes;
using Kevlar.Process;
using Kevlar.Process.Signals;
using Microsoft.Coyote.Actors;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Scenarios;

public static class ThreadFutexScenario
{
    public const int Cpus = 4;

    public static void Run(IActorRuntime runtime)
    {
        var w = new ProcessWorld(runtime, Cpus);
        var init = w.Spawn(null, 0, Programs.Reaper(w.Ledger));
        const ulong word = UserScript.SharedWordAddress;
        UserProcess p = w.Spawn(init, 1, Programs.StartThreads(Programs.FutexWaiter(word), Programs.FutexWaker(word)));
        // The word's page is present, as after the program's first store to it: the scripted
        // programs' own loads and stores do not fault pages in.
        p.Memory.Touch(UserScript.DataPage, true, false);
        w.Ledger.ExpectStatus(p.Pid, WaitStatus.Exited(0));
        w.AtQuiescence(() =>
        {
            if (p.Exited) return;
            bool woken = w.UserMode.ScriptOf(p.Pages)!.ReadWord(word) != 0;
            foreach (UserThread t in p.Threads)
            {
                Specification.Assert(!(woken && t.IsBlocked),
                    "NoLostFutexWake: thread {0} sleeps in FUTEX_WAIT though the word is 1 and its waker is gone", t.Tid);
            }
        });
        w.MustDie(p);
        w.MustLive(init);
        w.Run();
    }
}
