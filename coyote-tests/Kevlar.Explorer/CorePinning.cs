// CorePinning: keeps an exploring process on one core, as a batch task.
//
// Coyote runs one operation at a time, each on its own thread, and hands off
// between them with an event a thread first spins on. Across this VM's two
// cores a hand-off wakes the other core (a futex and an IPI, ~29 µs), while
// the waiter's spinning steals the core the next operation needs. On one core
// the woken thread simply runs next; as a batch task (SCHED_BATCH) a wakeup
// does not preempt the waker before it has paused. One process per core then
// uses the machine twice over (coyote-tests/README.md "Parallel jobs").
using System.Runtime.InteropServices;

namespace Kevlar.Explorer;

internal static class CorePinning
{
    private const int SchedBatch = 3;

    /// <summary>Pins the calling thread (and so every thread it and its
    /// threads start later: Coyote's operations) to <paramref name="core"/>
    /// and makes it a batch task. Where Linux refuses, the exploration runs
    /// unpinned: only its speed differs.</summary>
    public static void PinTo(int core)
    {
        if (!OperatingSystem.IsLinux() || core < 0 || core >= 64)
        {
            return;
        }
        ulong mask = 1UL << core;
        sched_setaffinity(0, sizeof(ulong), ref mask);
        int priority = 0;
        sched_setscheduler(0, SchedBatch, ref priority);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int sched_setaffinity(int pid, nint cpusetsize, ref ulong mask);

    [DllImport("libc", SetLastError = true)]
    private static extern int sched_setscheduler(int pid, int policy, ref int param);
}
