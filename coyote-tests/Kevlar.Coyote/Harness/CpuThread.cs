// CpuThread: one simulated CPU as a Coyote-controlled operation on its own
// thread, kept for a whole Coyote iteration (Machine), which may run several
// worlds one after the other. For each world it runs the real Scheduler.Step
// in a loop with a scheduling point between passes; Halt pauses the operation
// until an IPI is pending (as hlt waits for an interrupt), and an IPI that
// arrives while the CPU runs stays pending and makes the next halt return at
// once. When the world is quiescent the CPU leaves it and waits for the next.
//
// Why threads and not a Coyote actor per CPU: an actor's handler is a new
// controlled operation, hence a new OS thread, each time its inbox refills
// (every wakeup); thread start-up was the largest cost of an iteration.
using Kevlar.Runtime.Scheduling;
using Microsoft.Coyote.Runtime;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Harness;

internal sealed class CpuThread
{
    private readonly int _cpu;
    private readonly Func<bool> _hasWork;
    private ulong _op;
    private Thread? _thread;

    // Guarded by Coyote's serialisation: only the scheduled operation runs.
    private World? _world;
    private bool _finish;
    private bool _exited;

    internal CpuThread(int cpu)
    {
        _cpu = cpu;
        _hasWork = () => _world != null || _finish;
    }

    internal bool Exited => _exited;

    internal Thread? Thread => _thread;

    /// <summary>Gives the CPU a new world to run; the first call creates the
    /// CPU's controlled operation and starts its thread. Driver only.</summary>
    internal void Assign(World w)
    {
        _world = w;
        if (_thread != null)
        {
            return;
        }
        _op = Operation.CreateNext() ?? throw new InvalidOperationException("CpuThread needs Coyote's test engine");
        Hooks.OnOperationCreated();
        Operation.Start(_op);
        _thread = new Thread(Main) { IsBackground = true, Name = "kevlar-cpu" + _cpu };
        _thread.Start();
        Operation.ScheduleNext();
    }

    /// <summary>No more worlds: the thread ends once idle. Driver only.</summary>
    internal void Finish() => _finish = true;

    private void Main()
    {
        CoyotePlatform.Bind(_cpu);
        try
        {
            Operation.OnStarted(_op);
            while (true)
            {
                Hooks.PauseUntil(_hasWork);
                World? w = _world;
                if (w == null)
                {
                    break;
                }
                Run(w);
                _world = null;
                w.OnCpuLeft(_cpu);
            }
        }
        catch (ThreadInterruptedException)
        {
            return; // the iteration ended (a bug was found elsewhere): leave quietly
        }
        catch (Exception e)
        {
            try
            {
                Specification.Assert(false, "UnhandledException: CPU {0}: {1}", _cpu, e.ToString());
            }
            catch (ThreadInterruptedException)
            {
                // Coyote ends the iteration from this thread as it reports the bug.
            }
            return;
        }
        _exited = true;
        Hooks.OnOperationCompleted();
        Operation.OnCompleted();
        Operation.ScheduleNext();
    }

    // The CPU's loop in world w, until w is quiescent.
    private void Run(World w)
    {
        Scheduler s = w.Scheduler;
        while (!w.Stopping)
        {
            long before = w.Points;
            LoopStep step;
            try
            {
                step = s.Step(_cpu);
            }
            catch (CoyotePlatform.QuiescentInHandler)
            {
                return; // halted for good inside a handler, or its run dropped while it spun there
            }
            if (step == LoopStep.AtSafepoint && s.Safepoint.IsCollector(_cpu))
            {
                Hooks.SpinPause(); // the collector waits for the others to park
            }
            else if (step == LoopStep.Halt)
            {
                if (!w.Halt(_cpu))
                {
                    return; // quiescent
                }
                s.EndSleep(_cpu);
            }
            w.Observe();
            if (w.Points == before)
            {
                // A pass with no scheduling point of its own (a parked CPU's poll).
                w.Point();
            }
            w.CheckBound();
        }
    }
}
