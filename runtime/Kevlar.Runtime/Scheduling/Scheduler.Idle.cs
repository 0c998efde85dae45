// Scheduler.Idle: the per-CPU loop and the sleep/wake protocol.
//
// Why a wakeup cannot be lost (xv6's sleep/wakeup argument, lock-free):
//   sleeper (this CPU)                 sender (any CPU)
//   S1 Sleeping := 1 (exchange)        W1 enqueue (tail exchange)
//   S2 re-check mailbox, safepoint     W2 if Sleeping != 0 and CAS to 0 wins:
//   S3 halt (sti; hlt)                     SendWakeup(cpu)
// S1 and W1 are full fences, so either S2 sees W1's message (no halt) or W2
// sees S1's flag and sends the wakeup. A wakeup sent between S2 and S3 is not
// lost: the IPI stays pending while interrupts are off and hlt returns at once.
// The sleeper clears the flag itself when S2 finds work or after waking; a
// waker's IPI that then arrives late causes one spurious wake, which is harmless.
using System;
using System.Threading;
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Threading;

namespace Kevlar.Runtime.Scheduling;

public sealed partial class Scheduler
{
    /// <summary>One pass of <paramref name="cpu"/>'s loop: safepoint poll, the collector's
    /// background work, a batch of messages, and when idle the sleep announcement and re-check. The
    /// caller acts on the result (RunLoop shows how). Call on that CPU only.</summary>
    public LoopStep Step(int cpu)
    {
        if (_safepoint.Poll(cpu))
        {
            return ParkedStep(cpu);
        }
        // The collector's work between its pauses; never while parked, where it would run
        // beside a pause that assumes the world stopped.
        bool collectorWork = _safepoint.Background(cpu);
        if (RunOnce(cpu) || collectorWork)
        {
            return LoopStep.Worked;
        }
        CpuState c = _cpus[cpu];
        Atomic.Exchange(ref c.Sleeping, IdleSleep);
        if (!SeededBugs.SleepWithoutRecheck && (!c.Mailbox.IsEmpty || _safepoint.IsPending))
        {
            ProtocolCoverage.Reached("idle.recheck-found-work");
            Atomic.Exchange(ref c.Sleeping, 0);
            // The batch found nothing, yet there is work: a message just sent, or one whose sender has
            // swapped the tail and not linked it yet, which this CPU can only wait for (a spin).
            _platform.Pause();
            return LoopStep.Worked;
        }
        c.Sleeps++;
        ProtocolCoverage.Reached("idle.halt");
        return LoopStep.Halt;
    }

    // At the safepoint: the collector waiting for the others spins (AtSafepoint); a parked
    // CPU halts until the release wakes it, with the same announce-then-re-check as an
    // idle CPU (see SafepointCoordinator for why the release cannot be missed).
    private LoopStep ParkedStep(int cpu)
    {
        if (!_safepoint.StillParked(cpu))
        {
            return LoopStep.AtSafepoint;
        }
        CpuState c = _cpus[cpu];
        Atomic.Exchange(ref c.Sleeping, ParkedSleep);
        if (!_safepoint.StillParked(cpu))
        {
            ProtocolCoverage.Reached("safepoint.parked-recheck-released");
            Atomic.Exchange(ref c.Sleeping, 0);
            return LoopStep.AtSafepoint;
        }
        ProtocolCoverage.Reached("safepoint.parked-halt");
        return LoopStep.Halt;
    }

    /// <summary>Called by <paramref name="cpu"/> after WaitForWakeup returns.</summary>
    public void EndSleep(int cpu)
    {
        Atomic.Exchange(ref _cpus[cpu].Sleeping, 0);
    }

    /// <summary>The loop of <paramref name="cpu"/>: runs until
    /// <paramref name="stop"/> returns true (checked once per pass; a halted CPU
    /// checks it after its next wakeup). Metal calls it with stop = null.</summary>
    public void RunLoop(int cpu, Func<bool>? stop = null)
    {
        while (stop == null || !stop())
        {
            _platform.LoopPassed(cpu);
            LoopStep s = Step(cpu);
            if (s == LoopStep.Halt)
            {
                if (_safepoint.IsParked(cpu))
                {
                    _platform.WaitForRelease();
                }
                else
                {
                    _platform.WaitForWakeup();
                }
                EndSleep(cpu);
            }
            else if (s == LoopStep.AtSafepoint)
            {
                _platform.Pause();
            }
        }
    }

    /// <summary>The safepoint taken inside a handler on <paramref name="cpu"/> that cannot go on until a
    /// collection has run (an allocation that found the heap full), after it asked for one: the CPU takes
    /// part in the round where it stands, elected collector or parked, as at the top of its loop, and
    /// returns once a round has collected and released it. Its handler's frames stay live: the collector
    /// scans them with the rest of its stack, from where OnParking saved it. The caller holds no kernel
    /// lock: a CPU spinning on one would never come to its own safepoint.</summary>
    public void CollectFromHandler(int cpu)
    {
        ProtocolCoverage.Reached("safepoint.wait-in-handler");
        // No round can complete before this CPU parks or collects, so the count moves only by a round it
        // took part in. A poll may also return false before that: it read the phase before another
        // CPU's election and the request after it (harmless at the loop's top, which parks at its next
        // poll), so only the count says the wait is over.
        long before = _safepoint.Collections;
        while (true)
        {
            if (!_safepoint.Poll(cpu))
            {
                if (_safepoint.Collections > before)
                {
                    return;
                }
                ProtocolCoverage.Reached("safepoint.wait-in-handler-polls-again");
                _platform.Pause();
            }
            else if (ParkedStep(cpu) == LoopStep.Halt)
            {
                _platform.WaitForRelease();
                EndSleep(cpu);
            }
            else
            {
                _platform.Pause();
            }
        }
    }

    /// <summary>True while <paramref name="cpu"/> has announced sleep and no
    /// waker has claimed it.</summary>
    public bool IsSleeping(int cpu) => Atomic.Load(ref _cpus[cpu].Sleeping) != 0;

    // Sleeping: 0 awake, IdleSleep announced by an idle CPU, ParkedSleep by one parked
    // at the collector's safepoint.
    private const int IdleSleep = 1, ParkedSleep = 2;

    // Wakes cpu if it announced sleep (idle or parked); exactly one waker wins the flag
    // and sends the wakeup. The caller has made its work visible with a full fence.
    internal void Kick(int cpu) => Kick(cpu, ParkedSleep);

    // Wakes cpu only if it sleeps idle: the collector's call while it gathers.
    internal void KickIdle(int cpu) => Kick(cpu, IdleSleep);

    private void Kick(int cpu, int upTo)
    {
        CpuState c = _cpus[cpu];
        int sleeping = Atomic.Load(ref c.Sleeping);
        if (sleeping == 0 || sleeping > upTo)
        {
            ProtocolCoverage.Reached("idle.kick-awake");
            return;
        }
        if (Atomic.CompareExchange(ref c.Sleeping, 0, sleeping) != sleeping)
        {
            ProtocolCoverage.Reached("idle.kick-lost-race");
            return;
        }
        ProtocolCoverage.Reached("idle.kick-wakes");
        Atomic.FetchAdd(ref c.WakeupsSent, 1);
        _platform.SendWakeup(cpu);
    }

    internal void CountPark(int cpu)
    {
        _cpus[cpu].Parks++;
    }
}
