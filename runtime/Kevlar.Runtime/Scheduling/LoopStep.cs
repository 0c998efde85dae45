// LoopStep: what one pass of a CPU's scheduler loop asks the caller to do next.
namespace Kevlar.Runtime.Scheduling;

public enum LoopStep
{
    /// <summary>Work was done or may be waiting: run another step at once.</summary>
    Worked,

    /// <summary>The CPU stays at the safepoint (parked, or collecting and
    /// waiting for others to park): Pause, then step again.</summary>
    AtSafepoint,

    /// <summary>The CPU announced sleep and found nothing to do: call
    /// WaitForWakeup, then Scheduler.EndSleep, then step again.</summary>
    Halt,
}
