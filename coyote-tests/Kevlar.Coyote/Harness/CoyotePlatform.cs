// CoyotePlatform: ICpuPlatform for the Coyote host. Each simulated CPU runs on
// its own thread (CpuThread), so the running CPU is a thread-static; a wakeup
// marks an IPI pending on the target CPU, and halting is modelled by
// CpuThread rather than by blocking.
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Coyote.Harness;

public sealed class CoyotePlatform : ICpuPlatform
{
    [ThreadStatic]
    private static int t_cpuPlusOne;

    private readonly World _world;

    public CoyotePlatform(World world, int cpuCount)
    {
        _world = world;
        CpuCount = cpuCount;
    }

    public int CpuCount { get; }

    public int CurrentCpu => CurrentCpuOfThread;

    /// <summary>The CPU the calling thread runs (-1: outside any CPU).</summary>
    public static int CurrentCpuOfThread => t_cpuPlusOne - 1;

    /// <summary>Marks the calling thread as running <paramref name="cpu"/>
    /// (-1: outside any CPU).</summary>
    public static void Bind(int cpu) => t_cpuPlusOne = cpu + 1;

    public void SendWakeup(int cpu) => _world.SendIpi(cpu);

    // Host CPUs run user code only inside a handler's call: nothing to preempt.
    public void PreemptUser(int cpu)
    {
    }

    // No watchdog on the host: a stuck host CPU is the test runner's to time out.
    public void LoopPassed(int cpu)
    {
    }

    public void WaitForWakeup() =>
        throw new InvalidOperationException("CpuThread models halting; RunLoop is not used under Coyote");

    // The loop's own halts are CpuThread's; this one is a CPU parked inside a handler
    // (Scheduler.CollectFromHandler). If the world goes quiescent with it halted there,
    // its handler is abandoned and the CPU leaves the world (the quiescence checks judge).
    public void WaitForRelease()
    {
        if (!_world.Halt(CurrentCpu))
        {
            throw new QuiescentInHandler();
        }
    }

    /// <summary>Unwinds a handler its CPU can never finish: it halted for good inside it, or it spins
    /// there (on a lock, for a collection) when its run was dropped at the bound and the CPUs it waits
    /// for left (CpuThread catches it).</summary>
    public sealed class QuiescentInHandler : Exception
    {
    }

    // A spinning CPU (StepLock, a handler waiting for a collection) gives way until
    // another CPU takes a step (Hooks.SpinPause). Once its world stops (a run dropped at
    // its bound), the CPUs it waits for have left: its handler is abandoned.
    public void Pause()
    {
        if (_world.Stopping)
        {
            throw new QuiescentInHandler();
        }
        Hooks.SpinPause();
    }
}
