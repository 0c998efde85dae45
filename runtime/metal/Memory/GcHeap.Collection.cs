// A collection's pauses, each run by a single CPU while every other CPU is
// parked at a safepoint. Collect is called once per safepoint round and does
// what the cycle is ready for: the start or the finish of a concurrent mark
// (GcHeap.Concurrent.cs), or else a whole collection stopping the world: mark
// from the roots the caller names (static slots, permanent early objects,
// conservative word ranges), then drop every CPU's current blocks and the
// per-class lists and restart the lazy sweep. Nothing here visits every block:
// mark bits are cleared block by block as marking first reaches a block
// (GcHeap.Marking.cs), and sweeping happens afterwards, as allocators need
// blocks (GcHeap.Sweeping.cs).
using Kevlar.Runtime.Diagnostics;

namespace Kevlar.Runtime.Metal.Memory;

public static unsafe partial class GcHeap
{
    /// <summary>Roots of one collection, supplied by the caller.</summary>
    public struct Roots
    {
        /// <summary>Addresses of static reference slots (each holds a reference or null).</summary>
        public nint** StaticSlots;
        public int StaticSlotCount;
        /// <summary>Objects outside the heap whose fields are roots (early arena): [start, end) of a bump region.</summary>
        public byte* PermanentStart, PermanentEnd;
        /// <summary>Pairs [start, end) of word ranges to scan conservatively (stacks, saved registers).</summary>
        public ulong* ConservativeRanges;
        public int ConservativeRangeCount;
    }

    /// <summary>The collector's work in one safepoint round (every other CPU parked).</summary>
    public static void Collect(Roots* roots)
    {
        // An allocation waiting for this round (AllocateAfterCollecting) needs room now: a mark under
        // way is finished to the end, and one about to start is overtaken by a whole collection.
        bool whole = s_wholeWanted;
        s_wholeWanted = false;
        s_freeRunAfterRound = -1;
        // A concurrent cycle's pauses leave what died during its mark for the next cycle.
        LastRoundCollectedEverything = s_phase != PhaseMarking && (s_phase != PhaseReady || whole);
        if (s_phase == PhaseMarking)
        {
            if (whole) s_finishForced = true;
            FinishMark(roots);
        }
        else if (s_phase == PhaseReady && !whole) StartMark(roots);
        else CollectStoppingTheWorld(roots);
        if (whole && LastRoundCollectedEverything) MeasureRoomAfterRound();
    }

    private static void CollectStoppingTheWorld(Roots* roots)
    {
        GcPause* pause = NewPauseRecord(out ulong start);
        // A cycle still sweeping for its concurrent mark is overtaken by this one.
        s_phase = PhaseIdle;
        s_markerCpu = -1;
        BeginMark();
        MarkRoots(roots);
        ulong rooted = Now();
        pause->RootsNs = rooted - start;
        Drain();
        ulong marked = Now();
        pause->MarkNs = marked - rooted;
        if (VerifyMarking) VerifyMarkedSetClosed(roots);
        TakeCensusIfWanted();
        EndCollection();
        ulong ended = Now();
        pause->SweepNs = ended - marked;
        pause->PauseNs = ended - start;
        pause->LiveBytes = LiveBytesAfterLastCollection;
        pause->LiveObjects = LiveObjectsAfterLastCollection;
    }

    // Greys everything the roots reference: static slots, the fields of every early object, and
    // whatever allocated object a word of the conservative ranges points into.
    private static void MarkRoots(Roots* roots)
    {
        for (int i = 0; i < roots->StaticSlotCount; i++) MarkReference(*roots->StaticSlots[i]);
        for (byte* p = roots->PermanentStart; p < roots->PermanentEnd; p += ObjectSize(p + 8))
            ScanObject(p + 8);
        for (int r = 0; r < roots->ConservativeRangeCount; r++)
        {
            ulong* from = (ulong*)(roots->ConservativeRanges[2 * r] & ~7UL);
            ulong* to = (ulong*)roots->ConservativeRanges[2 * r + 1];
            for (ulong* w = from; w < to; w++) MarkConservative(*w);
        }
    }

    // Every CPU gives up its current blocks (they take new ones at their next allocation).
    private static void DropCurrentBlocks()
    {
        for (int i = 0; i < MaxCpus * ClassCount; i++)
        {
            int b = s_current[i];
            if (b < 0) continue;
            s_info[b].Owner = -1;
            s_current[i] = -1;
        }
    }

    // Restarts allocation on swept blocks only: every CPU's current block and every class list
    // belong to the cycle that ends, and the lazy sweep starts over from the first block.
    private static void EndCollection()
    {
        CountMarkedCells();
        CountBlackBlocks();
        DropCurrentBlocks();
        for (int c = 0; c < ClassCount; c++) s_available[c] = -1;
        s_sweepCursor = 0;
        s_blocksInUse = s_markedBlocks + s_blackBlocks;
        LiveBytesAfterLastCollection = s_markedBytes;
        LiveObjectsAfterLastCollection = s_markedObjects;
        s_allocatedSinceCollection = 0;
        // Collect again after as many bytes as are live (at least the minimum), but never later
        // than when half of what is free (what neither the mark nor its allocations kept) has been
        // handed out. A concurrent cycle must start earlier: its sweep and mark need room to
        // allocate in before the heap counts as running short (NoteAllocation: the next collection
        // would stop the world), so it starts when half of the bytes up to there are handed out.
        long free = (long)((ulong)s_blockCount * BlockSize - s_markedBytes - s_blackBytes);
        long trigger = (long)s_markedBytes > s_minimumTrigger ? (long)s_markedBytes : s_minimumTrigger;
        long latest = free / 2;
        s_keptBytes = (long)(s_markedBytes + s_blackBytes);
        if (Concurrent)
        {
            long heapBytes = (long)s_blockCount * (long)BlockSize;
            long runway = heapBytes - heapBytes / LowFraction - s_keptBytes;
            latest = runway > 0 ? runway / 2 : 0;
        }
        s_trigger = trigger < latest ? trigger : latest;
        s_requested = 0;
        Collections = s_markEpoch;
    }
}
