// Hooks: connects the runtime's host seams to Coyote — every InterleaveHook
// point becomes a scheduling point (counted, for the per-run step figures) and
// every failed Kassert a Coyote assertion failure carrying the invariant's text.
//
// Not every point needs Coyote. A point where every other operation is paused
// on a condition still false offers no choice, so Coyote is not asked (it
// would pick this operation; asking costs a strategy call and a trace step).
// And when runs are sparse, each run draws (through Coyote, so a trace
// replays it) how many points it offers, from 256 down to 8 in a run of the
// test's typical length, chosen at random. Every point can still be a switch
// in some run, so no race window is out of reach; sparse runs let a CPU go on
// for a stretch, which finds the bugs needing few preemptions in fewer runs,
// and cost less each (coyote-tests/README.md "Measured figures").
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Threading;
using Microsoft.Coyote.Runtime;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Harness;

public static class Hooks
{
    /// <summary>Scheduling points taken since the process started.</summary>
    public static long Points;

    public static void Install()
    {
        InterleaveHook.Handler = Point;
        Kassert.FailureHandler = static what => Specification.Assert(false, what);
    }

    public static void Uninstall()
    {
        InterleaveHook.Handler = null;
        UseBuffers(null);
        SkipUnchosen = false;
        s_offerMask = 0;
        Kassert.FailureHandler = null;
    }

    // True while the harness itself looks at kernel state (monitors, invariants):
    // the runtime's accessors it calls are not the simulated CPUs' steps.
    private static bool s_observing;

    /// <summary>True while the harness looks at kernel state (Observe): its loads see memory.</summary>
    internal static bool IsObserving => s_observing;

    /// <summary>The running world's store buffers, drained at points by draw.</summary>
    internal static StoreBuffers? Buffers { get; private set; }

    /// <summary>Makes <paramref name="buffers"/> the model Atomic goes through (a world does, as it starts).</summary>
    internal static void UseBuffers(StoreBuffers? buffers)
    {
        Buffers = buffers;
        InterleaveHook.Memory = buffers;
    }

    /// <summary>Points where no other operation could run, so Coyote had no
    /// choice to make and was not asked (since the process started).</summary>
    public static long Unchosen;

    /// <summary>For tests: points judged to have no choice are still handed to
    /// Coyote, and MisjudgedUnchosen counts those at which another operation ran.</summary>
    public static bool VerifyUnchosen { get; set; }

    public static long MisjudgedUnchosen;

    // Counts points of every operation: a change across Interleave means another ran.
    private static long s_epoch;

    /// <summary>Points handed to Coyote (since the process started).</summary>
    public static long Asked;

    /// <summary>Points handed to Coyote at which another operation ran before
    /// this one went on: each costs two thread hand-offs (since the process started).</summary>
    public static long Switches;

    /// <summary>Operations paused on a condition (a halt, a spin giving way, the driver waiting
    /// for the end of a run): each a thread hand-off (since the process started).</summary>
    public static long Pauses;

    /// <summary>Whether points with no choice skip Coyote: set per exploration
    /// where the harness bounds runs itself (its bound counts every point).</summary>
    public static bool SkipUnchosen { get; set; }

    // This run offers a point when the top bits of the next xorshift value
    // masked by s_offerMask are zero (mask 0: every point).
    private static ulong s_offerMask;
    private static ulong s_offerState = 1;

    // The controlled operations alive in this Coyote iteration (the driver and
    // the CPU threads started) and the conditions of those paused through
    // PauseUntil. Touched only by the operation Coyote is running.
    private static int s_live = 1;
    private static readonly List<Func<bool>> s_waits = new();

    /// <summary>A point where Coyote may switch to another CPU.</summary>
    public static void Point()
    {
        if (s_observing)
        {
            return;
        }
        Points++;
        s_ownSteps[CoyotePlatform.CurrentCpuOfThread + 1]++;
        Buffers?.AtPoint();
        long epoch = ++s_epoch;
        if (SkipUnchosen && NoOtherCanRun())
        {
            // Coyote would pick this operation, the only enabled one: asking it
            // costs a strategy call and a trace step, and explores nothing.
            Unchosen++;
            if (!VerifyUnchosen)
            {
                return;
            }
            SchedulingPoint.Interleave();
            if (s_epoch != epoch)
            {
                MisjudgedUnchosen++; // another operation ran: there was a choice
            }
            return;
        }
        if (s_offerMask != 0)
        {
            s_offerState ^= s_offerState << 13;
            s_offerState ^= s_offerState >> 7;
            s_offerState ^= s_offerState << 17;
            if (((s_offerState >> 32) & s_offerMask) != 0)
            {
                return; // this sparse run does not offer this point
            }
        }
        Asked++;
        SchedulingPoint.Interleave();
        if (s_epoch != epoch)
        {
            Switches++; // another operation ran before this one resumed
        }
    }

    // True when every other live operation is paused on a condition that is
    // still false: the same test Coyote makes before it chooses.
    private static bool NoOtherCanRun()
    {
        if (s_waits.Count != s_live - 1)
        {
            return false;
        }
        foreach (Func<bool> wait in s_waits)
        {
            if (wait())
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Coyote's PauseUntil, with the condition known to Point.</summary>
    public static void PauseUntil(Func<bool> condition)
    {
        // A pause is a step too: a spinner that gave way because this operation could still run
        // must look again now that it cannot (else both wait, and Coyote calls a hang a deadlock).
        Pauses++;
        s_ownSteps[CoyotePlatform.CurrentCpuOfThread + 1]++;
        s_waits.Add(condition);
        try
        {
            Operation.PauseUntil(condition);
        }
        finally
        {
            s_waits.Remove(condition);
        }
    }

    // Per thread (its CPU + 1; 0 the driver): the steps (points and pauses) it took itself, the other
    // operations' steps when its last spin pause returned, and the condition that ends its pause.
    private static readonly long[] s_ownSteps = new long[66];
    private static readonly long[] s_spinMarks = new long[66];
    private static readonly Func<bool>?[] s_spinEnds = new Func<bool>?[66];

    private static long OthersSteps(int slot) => Points + Pauses - s_ownSteps[slot];

    /// <summary>One turn of a spin on state only other operations change (a lock's holder, CPUs still to
    /// park): when no other operation took a step since the spinner's last turn, everything it read
    /// since then would read the same again, so it gives way until one does. A spin then costs no
    /// points or switches of its own, and PCT, which ignores yields, no longer keeps a spinner at the
    /// top priority while the CPU it waits for never runs. It takes a point instead while another
    /// CPU's store buffer holds stores (those drain only at points, and it may be waiting to see one;
    /// its own it reads, and pausing with them let a spinner that keeps storing never pause), and when no
    /// other operation can run: then only its own next turn can change anything (a kick), and a spin
    /// that never ends must reach the run's bound, where the liveness monitors judge it, rather than
    /// stop as a deadlock.</summary>
    public static void SpinPause()
    {
        int slot = CoyotePlatform.CurrentCpuOfThread + 1;
        if ((Buffers != null && !Buffers.OthersEmpty) || NoOtherCanRun())
        {
            Point();
        }
        else if (OthersSteps(slot) == s_spinMarks[slot])
        {
            PauseUntil(s_spinEnds[slot] ??= () => OthersSteps(slot) != s_spinMarks[slot]);
        }
        s_spinMarks[slot] = OthersSteps(slot);
    }

    /// <summary>A new controlled operation (a CPU thread) exists. An operation
    /// made without telling Hooks would let Point skip a real choice
    /// (UnchosenPointTests would see another operation run).</summary>
    internal static void OnOperationCreated() => s_live++;

    /// <summary>A CPU thread's operation is about to complete.</summary>
    internal static void OnOperationCompleted() => s_live--;

    /// <summary>Whether this run offers only some of its points.</summary>
    internal static bool OffersSparsely => s_offerMask != 0;

    /// <summary>From here on this run offers every point (World.CheckBound).</summary>
    internal static void OfferEveryPoint() => s_offerMask = 0;

    /// <summary>Points a sparse run offers on average: it draws one of these, and
    /// offers one point in 2^k, k making that many of a typical run's points.</summary>
    internal static readonly int[] OffersPerRun = { 256, 128, 64, 32, 16, 8 };

    /// <summary>A sparse run starts: <paramref name="draw"/> (a Coyote choice)
    /// sets how many points it offers, in a run of the test's typical
    /// <paramref name="pointsPerRun"/> (low 16 bits: one of OffersPerRun),
    /// and which points those are (the rest).</summary>
    internal static void OnSparseRunStarted(int draw, uint pointsPerRun)
    {
        int offers = OffersPerRun[(draw & 0xFFFF) % OffersPerRun.Length];
        int shift = Math.Clamp((int)Math.Round(Math.Log2((double)pointsPerRun / offers)), 0, 30);
        s_offerMask = (1UL << shift) - 1;
        s_offerState = ((ulong)(uint)draw >> 16) * 0x9E3779B97F4A7C15UL | 1;
    }

    /// <summary>A Coyote iteration starts: only its driver operation is alive.</summary>
    internal static void OnIterationStarted()
    {
        s_live = 1;
        s_waits.Clear();
        Array.Fill(s_spinMarks, -1); // a spin's first turn in an iteration does not pause: replays agree
    }

    /// <summary>Runs <paramref name="look"/> as one atomic observation: no
    /// scheduling point inside it.</summary>
    public static void Observe(Action look)
    {
        bool outer = s_observing;
        s_observing = true;
        try
        {
            look();
        }
        finally
        {
            s_observing = outer;
        }
    }
}
