// Machine: the simulated CPUs of one Coyote iteration. An iteration runs a
// test's scenario several times (ExplorationRunner's runs per iteration), each
// run in a fresh World, on the same CPU threads: starting threads and
// Coyote's own per-iteration set-up cost more than a run of a scenario, so
// they are paid once per batch of runs.
namespace Kevlar.Coyote.Harness;

internal sealed class Machine
{
    private static Machine? s_current;

    private readonly CpuThread[] _cpus;
    private readonly Func<bool> _allExited;

    private Machine(int cpuCount)
    {
        _cpus = new CpuThread[cpuCount];
        for (int c = 0; c < cpuCount; c++)
        {
            _cpus[c] = new CpuThread(c);
        }
        _allExited = () => Array.TrueForAll(_cpus, c => c.Exited);
    }

    /// <summary>Hands every CPU of this iteration's machine to <paramref name="w"/>.</summary>
    internal static void Start(World w)
    {
        s_current ??= new Machine(w.CpuCount);
        Machine m = s_current;
        if (w.CpuCount > m._cpus.Length)
        {
            throw new InvalidOperationException("a world of an iteration has more CPUs than its first one");
        }
        for (int c = 0; c < w.CpuCount; c++)
        {
            m._cpus[c].Assign(w); // CPUs beyond the world's count stay idle
        }
    }

    /// <summary>The iteration's last run is done: lets the CPU threads end and waits for them.</summary>
    internal static void Finish()
    {
        Machine? m = s_current;
        if (m == null)
        {
            return;
        }
        foreach (CpuThread c in m._cpus)
        {
            c.Finish();
        }
        Hooks.PauseUntil(m._allExited);
    }

    /// <summary>After Coyote ended an iteration: a CPU thread still paused inside
    /// Coyote (a bug ended the iteration early) is interrupted, and all are joined.</summary>
    internal static void EndIteration()
    {
        Machine? m = s_current;
        s_current = null;
        if (m == null)
        {
            return;
        }
        foreach (CpuThread c in m._cpus)
        {
            Thread? t = c.Thread;
            if (t != null && !t.Join(0))
            {
                t.Interrupt();
                t.Join();
            }
        }
    }
}
