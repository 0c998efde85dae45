// The mostly-concurrent cycle (docs/decisions.md "A mostly-concurrent mark"):
//
//   Idle --trigger--> Sweeping --sweep done--> Ready --start pause--> Marking
//        --mark stack empty--> finish pause --> Idle
//
// Past the trigger, the allocating CPU becomes the cycle's marker. At the top of
// its scheduler loop (Background) it first finishes the lazy sweep of the last
// collection in slices, so that no sweep reads a block's mark bits while this
// mark rewrites them; then it asks for a safepoint round. The start pause greys
// the roots, makes every CPU drop its current blocks, and turns on the write
// barrier of every CPU before any of them runs a handler again. The marker then
// traces in slices between its own handlers while the other CPUs run theirs;
// when its mark stack is empty it asks for the finish pause, which takes what the
// barriers buffered, greys the roots again (stacks are not barriered), traces to
// the end, turns the barriers off and ends the collection as a stop-the-world one
// ends. The marker never halts while it has slices to run.
//
// Why nothing reachable is freed (Dijkstra's incremental-update barrier, strong
// tri-colour invariant): no black object points at a white one. Black is marked
// and scanned, or allocated during the mark (fresh blocks only, invariant 4);
// grey is marked and on the mark stack, or buffered by a barrier. It holds after
// the start pause (nothing scanned is black yet but early objects, whose
// children are grey). A store of a reference into any object while marking greys
// the stored value first (Shade, from the barrier helpers ilc calls, and from
// the corlib's reference-moving paths), so it adds no black-to-white edge;
// deleting an edge cannot add one either. The marker blackens an object only
// after greying all its fields. Stacks, registers and static slots are not
// barriered, so the finish pause greys them again with every CPU parked; after
// the final trace no grey is left, so every object reachable from the roots is
// marked or black. Objects no longer reachable may stay marked: they go at the
// next collection.
using System.Threading;
using Kevlar.Runtime.Diagnostics;
using LockClass = Kevlar.Runtime.Threading.LockClass;
using SpinLock = Kevlar.Runtime.Metal.Threading.SpinLock;

namespace Kevlar.Runtime.Metal.Memory;

// Safety: as GcHeap.cs: block metadata and cells inside the region; the black list has one slot per block.
public static unsafe partial class GcHeap
{
    public const int PhaseIdle = 0, PhaseSweeping = 1, PhaseReady = 2, PhaseMarking = 3;
    // Objects one marking slice scans, and blocks one sweeping slice sweeps: a few hundred
    // microseconds under TCG, so the marker's own handlers wait no longer than that.
    private const int MarkSliceObjects = 2048;
    internal static int s_markSliceObjects = MarkSliceObjects; // Coyote's model scans one object a slice
    // Objects a CPU scans for each fresh block it takes while marking (a mark assist, as Go's
    // allocators pay for what they allocate), at least one per cell of 32 bytes, and more when the
    // live heap is large beside what is left to allocate (PaceAssists): so a mark finishes before
    // the heap runs short, however busy the marker's own CPU is.
    private const int AssistObjectsPerBlock = 2048;
    internal static int s_assistObjectsPerBlock = AssistObjectsPerBlock; // the least; Coyote's model: one
    internal static bool s_paceAssists = true; // Coyote's model keeps the least
    private static long s_assistPerBlock;
    private const int SweepSliceBlocks = 64;
    // What the finish pause may trace before it gives the rest back to the concurrent mark (about 150 us
    // under TCG), and how many finish pauses a cycle tries before one traces to the end.
    private const int FinishBudgetObjects = 1024;
    private const int MaxFinishAttempts = 16;

    /// <summary>Whether a collection past the trigger marks concurrently (set by the platform; off: every
    /// collection stops the world for the whole mark).</summary>
    public static bool Concurrent;
    /// <summary>Check at every finish pause that the marked set is closed (GcHeap.Verify.cs); for tests.</summary>
    public static bool VerifyMarking;
    /// <summary>Turns one CPU's write barrier on or off (installed by the platform; called only in a pause).</summary>
    public static delegate*<int, bool, void> SetBarrier;
    /// <summary>The CPUs whose barriers a pause switches (set by the platform).</summary>
    public static int CpuCount;

    // Under the heap lock, or in a pause: the cycle's phase, its marker, and whether the finish pause is asked for.
    private static int s_phase;
    private static int s_markerCpu;
    private static int s_finishRequested;
    // The finish must trace to the end (the heap is running short); finish pauses tried this cycle.
    private static bool s_finishForced;
    private static int s_finishAttempts;
    // Marking (mark bits, block mark epochs, the mark stack) outside a pause: the marker's slices and
    // the barriers' buffer flushes, one at a time.
    private static SpinLock s_markLock;
    // Blocks allocated black during this mark (a list), and large objects allocated black; under the heap lock.
    private static int* s_blackList;
    private static int s_blackSmall;
    private static long s_blackLargeBlocks;
    // What the last collection kept because it was allocated during its mark (CountBlackBlocks).
    private static int s_blackBlocks;
    private static ulong s_blackBytes;
    // Bytes the last collection kept, traced or allocated black (under the heap lock or in a pause).
    private static long s_keptBytes;

    /// <summary>Bytes the last collection kept untraced because they were allocated during its mark (not counted
    /// as live: some of it may be garbage already, which the next collection frees).</summary>
    public static ulong AllocatedDuringLastMarkBytes => s_blackBytes;
    private static ulong s_markStartedAt;

    /// <summary>The cycle's phase (PhaseIdle ... PhaseMarking).</summary>
    public static int Phase => Volatile.Read(ref s_phase);

    /// <summary>True when <paramref name="cpu"/> has collector work to do at the top of its loop, so it must not halt.</summary>
    public static bool HasBackgroundWork(int cpu)
    {
        if (Volatile.Read(ref s_markerCpu) != cpu) return false;
        int phase = Volatile.Read(ref s_phase);
        // Once the finish is asked for, the marker still scans what barriers and assists grey meanwhile.
        return phase == PhaseSweeping
            || (phase == PhaseMarking && (Volatile.Read(ref s_finishRequested) == 0 || Volatile.Read(ref s_markStackTop) > 0));
    }

    /// <summary>Starts a concurrent cycle now, marked by <paramref name="cpu"/>, unless one is under way; false when
    /// one is (or a round is already asked for).</summary>
    public static bool StartCycle(int cpu)
    {
        s_lock.Enter(LockClass.HeapBlocks);
        bool started = s_phase == PhaseIdle && s_requested == 0;
        if (started)
        {
            s_phase = PhaseSweeping;
            s_markerCpu = cpu;
        }
        s_lock.Exit();
        return started;
    }

    /// <summary>Called at the top of <paramref name="cpu"/>'s scheduler loop while it is not parked (no handler
    /// frame is live; ISafepointClient.Background): the marker's next slice of sweeping or marking. True while
    /// the CPU has more, so it must not halt.</summary>
    public static bool Background(int cpu)
    {
        if (!HasBackgroundWork(cpu)) return false;
        if (Volatile.Read(ref s_phase) == PhaseSweeping) SweepSlice();
        else MarkSlice();
        return HasBackgroundWork(cpu);
    }

    private static void SweepSlice()
    {
        s_lock.Enter(LockClass.HeapBlocks);
        bool ask = false;
        if (s_phase == PhaseSweeping && SweepSome(SweepSliceBlocks))
        {
            s_phase = PhaseReady;
            ask = s_requested == 0;
            s_requested = 1;
        }
        s_lock.Exit();
        if (ask) AskForRound();
    }

    private static void MarkSlice()
    {
        // A barrier flushing its buffer or an assist holds the lock for a moment: the next pass tries again.
        if (!s_markLock.TryEnter(LockClass.GcMark, 1)) return;
        bool traced = ScanSome(s_markSliceObjects);
        s_markLock.Exit();
        if (!traced || Volatile.Read(ref s_finishRequested) != 0) return;
        s_lock.Enter(LockClass.HeapBlocks);
        bool ask = s_phase == PhaseMarking && s_finishRequested == 0 && s_requested == 0;
        s_finishRequested = 1;
        if (ask) s_requested = 1;
        s_lock.Exit();
        if (ask) AskForRound();
    }

    // Twice the objects there may be to trace, spread over the blocks that can still be handed out
    // before the heap counts as running short: the assists alone then trace that much before half of
    // that runway is used. The objects: those the last collection found live, or, in a heap that
    // grew since, one per 64 bytes of the blocks in use (100 MB live is about 3 M small objects).
    private static void PaceAssists()
    {
        long runway = s_blockCount - s_blockCount / 8 - s_blocksInUse;
        if (runway < 16) runway = 16;
        long inUse = (long)s_blocksInUse * (long)(BlockSize / 64);
        long work = LiveObjectsAfterLastCollection > inUse ? LiveObjectsAfterLastCollection : inUse;
        long paced = s_paceAssists ? 2 * work / runway : 0;
        s_assistPerBlock = paced > s_assistObjectsPerBlock ? paced : s_assistObjectsPerBlock;
    }

    // An allocating CPU's share of the mark, outside the heap lock.
    private static void AssistMark(long objects)
    {
        s_markLock.Enter(LockClass.GcMark);
        if (s_phase == PhaseMarking) ScanSome(objects);
        s_markLock.Exit();
    }

    // Scans up to n grey objects; true when none is left. Under the mark lock.
    private static bool ScanSome(long n)
    {
        for (; n > 0 && s_markStackTop > 0; n--) ScanObject((byte*)s_markStack[--s_markStackTop]);
        return s_markStackTop == 0;
    }

    private static void AskForRound()
    {
        NoteRequested();
        if (RequestCollection != null) RequestCollection();
    }

    // The start pause: grey the roots, make allocation start over in fresh blocks, turn the barriers on.
    private static void StartMark(Roots* roots)
    {
        GcPause* pause = NewPauseRecord(out ulong start);
        BeginMark();
        s_blackSmall = 0;
        s_blackLargeBlocks = 0;
        for (int i = 0; i < MaxCpus; i++) s_barrierCounts[i] = 0;
        DropCurrentBlocks();
        MarkRoots(roots);
        ulong rooted = Now();
        pause->RootsNs = rooted - start;
        s_phase = PhaseMarking;
        s_finishRequested = 0;
        s_requested = 0;
        SetAllBarriers(true);
        s_finishForced = false;
        s_finishAttempts = 0;
        PaceAssists();
        s_markStartedAt = Now();
        pause->StartPauseNs = s_markStartedAt - start;
        pause->PauseNs = pause->StartPauseNs;
    }

    // The finish pause: everything the barriers buffered, the roots again, the rest of the trace, then
    // the collection ends as a stop-the-world one does. When more is left to trace than fits in a short
    // pause, the mark goes on concurrently and the marker asks again later (Go's answer to an unbounded
    // final drain), unless the heap is running short or the cycle has tried often enough.
    private static void FinishMark(Roots* roots)
    {
        GcPause* pause = CurrentPause;
        ulong start = Now();
        Interlocked.Exchange(ref s_requestedAtNs, 0);
        for (int cpu = 0; cpu < MaxCpus; cpu++) FlushBarrierBuffer(cpu);
        MarkRoots(roots);
        if (!s_finishForced && ++s_finishAttempts < MaxFinishAttempts && !ScanSome(FinishBudgetObjects))
        {
            s_finishRequested = 0;
            s_requested = 0;
            pause->FinishRetries++;
            ulong resumed = Now();
            if (resumed - start > pause->PauseNs) pause->PauseNs = resumed - start;
            return;
        }
        pause->ConcurrentNs = start - s_markStartedAt;
        SetAllBarriers(false);
        Drain();
        ulong marked = Now();
        pause->MarkNs = marked - start;
        if (VerifyMarking) VerifyMarkedSetClosed(roots);
        TakeCensusIfWanted();
        s_phase = PhaseIdle;
        s_markerCpu = -1;
        EndCollection();
        ulong ended = Now();
        pause->SweepNs = ended - marked;
        if (ended - start > pause->PauseNs) pause->PauseNs = ended - start;
        pause->LiveBytes = LiveBytesAfterLastCollection;
        pause->LiveObjects = LiveObjectsAfterLastCollection;
        pause->AllocatedDuringMarkBytes = s_blackBytes;
    }

    // Every CPU's switch, set in a pause: a CPU reads it only after the release.
    private static void SetAllBarriers(bool on)
    {
        if (SetBarrier == null) return;
        for (int cpu = 0; cpu < CpuCount; cpu++)
        {
            if (on && SeededBugs.GcBarrierSkipsCollectorCpu && cpu == CurrentCpu()) continue; // seeded bug
            SetBarrier(cpu, on);
        }
    }

    // Sums the blocks and bytes allocated black during the mark (large objects counted as they were
    // allocated), and empties the black list: the figures of what the mark kept without tracing.
    private static void CountBlackBlocks()
    {
        s_blackBlocks = (int)s_blackLargeBlocks;
        s_blackBytes = (ulong)s_blackLargeBlocks * BlockSize;
        for (int i = 0; i < s_blackSmall; i++)
        {
            // A fresh block: its allocated cells are the ones no longer free (no bitmap pass).
            int b = s_blackList[i];
            long cells = s_info[b].CellCount - s_info[b].FreeCount;
            s_blackBlocks++;
            s_blackBytes += (ulong)cells * (ulong)s_info[b].CellSize;
        }
        s_blackSmall = 0;
        s_blackLargeBlocks = 0;
    }
}
