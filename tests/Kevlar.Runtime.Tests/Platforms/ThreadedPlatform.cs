// ThreadedPlatform: a host twin of ICpuPlatform with one real thread per CPU.
// WaitForWakeup blocks on a per-CPU semaphore; SendWakeup releases it, so a
// wakeup sent before the wait is kept as a permit (like a pending IPI).
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Runtime.Tests.Platforms;

public sealed class ThreadedPlatform : ICpuPlatform
{
    [ThreadStatic]
    private static int t_cpuPlusOne;

    private readonly SemaphoreSlim[] _wake;

    public ThreadedPlatform(int cpuCount)
    {
        CpuCount = cpuCount;
        _wake = new SemaphoreSlim[cpuCount];
        for (int i = 0; i < cpuCount; i++)
        {
            _wake[i] = new SemaphoreSlim(0);
        }
    }

    public int CpuCount { get; }

    public int CurrentCpu => t_cpuPlusOne - 1;

    /// <summary>Marks the calling thread as <paramref name="cpu"/>.</summary>
    public static void BindCurrentThread(int cpu) => t_cpuPlusOne = cpu + 1;

    public void SendWakeup(int cpu) => _wake[cpu].Release();

    // Host CPUs run user code only inside a handler's call: nothing to preempt.
    public void PreemptUser(int cpu)
    {
    }

    // No watchdog on the host: a stuck host CPU is the test runner's to time out.
    public void LoopPassed(int cpu)
    {
    }

    public void WaitForWakeup() => _wake[CurrentCpu].Wait();

    // No interrupts on the host: waiting for the release is waiting for a wakeup.
    public void WaitForRelease() => WaitForWakeup();

    public void Pause() => Thread.SpinWait(20);
}
