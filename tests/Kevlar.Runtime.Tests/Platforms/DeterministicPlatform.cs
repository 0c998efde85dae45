// DeterministicPlatform: a single-threaded host twin of ICpuPlatform.
//
// The driver (DeterministicDriver) decides which CPU runs next; wakeups are
// recorded as pending IPIs, exactly like a local APIC with interrupts off.
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Runtime.Tests.Platforms;

public sealed class DeterministicPlatform : ICpuPlatform
{
    private readonly bool[] _pendingWakeup;

    public DeterministicPlatform(int cpuCount)
    {
        CpuCount = cpuCount;
        _pendingWakeup = new bool[cpuCount];
        Current = -1;
    }

    public int CpuCount { get; }

    /// <summary>The CPU whose step is running; -1 for the test itself.</summary>
    public int Current { get; set; }

    public int CurrentCpu => Current;

    public int WakeupsSent { get; private set; }

    public void SendWakeup(int cpu)
    {
        WakeupsSent++;
        _pendingWakeup[cpu] = true;
    }

    /// <summary>True when a wakeup of <paramref name="cpu"/> is pending.</summary>
    public bool HasWakeup(int cpu) => _pendingWakeup[cpu];

    /// <summary>Consumes a pending wakeup of <paramref name="cpu"/>.</summary>
    public bool TakeWakeup(int cpu)
    {
        bool w = _pendingWakeup[cpu];
        _pendingWakeup[cpu] = false;
        return w;
    }

    // The driver models halting itself; a direct call means a test bug.
    // Host CPUs run user code only inside a handler's call: nothing to preempt.
    public void PreemptUser(int cpu)
    {
    }

    // No watchdog on the host: a stuck host CPU is the test runner's to time out.
    public void LoopPassed(int cpu)
    {
    }

    public void WaitForWakeup() => throw new InvalidOperationException("driver models halts");

    public void WaitForRelease() => WaitForWakeup();

    public void Pause()
    {
    }
}
