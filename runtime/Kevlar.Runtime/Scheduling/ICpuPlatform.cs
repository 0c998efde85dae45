// ICpuPlatform: what the scheduler needs from the machine it runs on.
//
// Metal implements it with the local APIC and hlt; the host has twins (a
// deterministic single-threaded one, threads with semaphores, and one Coyote
// actor per CPU in coyote-tests).
namespace Kevlar.Runtime.Scheduling;

public interface ICpuPlatform
{
    /// <summary>Number of CPUs; CPU ids are 0..CpuCount-1.</summary>
    int CpuCount { get; }

    /// <summary>The id of the CPU running the caller, or -1 when the caller is
    /// not one of the scheduler's CPUs (a host test thread). Used to track
    /// in-flight sends for the migration grace period.</summary>
    int CurrentCpu { get; }

    /// <summary>Wakes <paramref name="cpu"/> from WaitForWakeup (an IPI on
    /// metal). A wakeup sent while the CPU is not waiting stays pending and
    /// makes its next WaitForWakeup return at once.</summary>
    void SendWakeup(int cpu);

    /// <summary>Halts the calling CPU until a wakeup or any interrupt (metal:
    /// sti; hlt; cli). May return spuriously; never loses a pending wakeup.</summary>
    void WaitForWakeup();

    /// <summary>Halts the calling CPU, parked at the collector's safepoint, until a wakeup.
    /// Nothing but the wakeup may run on it meanwhile: an interrupt handler would touch the
    /// heap behind the collector's back (metal: the task priority holds timer and device
    /// interrupts pending until it returns). Same rules as WaitForWakeup otherwise.</summary>
    void WaitForRelease();

    /// <summary>A message was queued for <paramref name="cpu"/>: if that CPU is running user code
    /// now, bring it back to the kernel (an IPI on metal) so the message does not wait for the
    /// end of the time slice, as Linux preempts a CPU hog for a woken task. Nothing otherwise.</summary>
    void PreemptUser(int cpu);

    /// <summary>Called at the top of every pass of <paramref name="cpu"/>'s loop, on that CPU
    /// (metal: the watchdog's heartbeat).</summary>
    void LoopPassed(int cpu);

    /// <summary>A spin-wait hint (metal: pause).</summary>
    void Pause();
}
