// DeterministicDriver: runs a Scheduler's CPUs one Step at a time on one
// thread, choosing the next CPU round-robin or by a seeded random generator.
// A CPU whose step returns Halt stays halted until a wakeup is pending for it.
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Runtime.Tests.Platforms;

public sealed class DeterministicDriver
{
    private readonly Scheduler _scheduler;
    private readonly DeterministicPlatform _platform;
    private readonly bool[] _halted;
    private readonly Random? _random;
    private int _next;

    public DeterministicDriver(Scheduler scheduler, DeterministicPlatform platform, int? seed = null)
    {
        _scheduler = scheduler;
        _platform = platform;
        _halted = new bool[platform.CpuCount];
        _random = seed.HasValue ? new Random(seed.Value) : null;
    }

    public long Steps { get; private set; }

    public bool IsHalted(int cpu) => _halted[cpu];

    /// <summary>True when every CPU is halted with no wakeup pending.</summary>
    public bool Quiescent
    {
        get
        {
            for (int c = 0; c < _halted.Length; c++)
            {
                if (!_halted[c] || _platform.HasWakeup(c))
                {
                    return false;
                }
            }
            return true;
        }
    }

    /// <summary>Runs steps until quiescent; fails after maxSteps.</summary>
    public void RunUntilQuiescent(long maxSteps = 1_000_000)
    {
        while (!Quiescent)
        {
            if (Steps >= maxSteps)
            {
                throw new InvalidOperationException("not quiescent after " + maxSteps + " steps");
            }
            StepOne();
        }
    }

    /// <summary>Runs one step of the next runnable CPU, waking halted CPUs whose
    /// wakeup is pending first.</summary>
    public void StepOne()
    {
        for (int c = 0; c < _halted.Length; c++)
        {
            if (_halted[c] && _platform.TakeWakeup(c))
            {
                _halted[c] = false;
                _scheduler.EndSleep(c);
            }
        }
        int cpu = PickRunnable();
        if (cpu < 0)
        {
            return;
        }
        Steps++;
        _platform.Current = cpu;
        LoopStep s = _scheduler.Step(cpu);
        _platform.Current = -1;
        if (s == LoopStep.Halt)
        {
            // hlt with a wakeup already pending returns at once.
            if (_platform.TakeWakeup(cpu))
            {
                _scheduler.EndSleep(cpu);
            }
            else
            {
                _halted[cpu] = true;
            }
        }
    }

    private int PickRunnable()
    {
        int n = _halted.Length;
        int start = _random != null ? _random.Next(n) : _next;
        for (int i = 0; i < n; i++)
        {
            int c = (start + i) % n;
            if (!_halted[c])
            {
                _next = (c + 1) % n;
                return c;
            }
        }
        return -1;
    }
}
