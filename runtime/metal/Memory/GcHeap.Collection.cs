// One collection, run by a single CPU while every other CPU is parked at a
// safepoint: mark from the roots the caller names (static slots, permanent
// early objects, conservative word ranges), then drop every CPU's current
// blocks and the per-class lists and restart the lazy sweep. Nothing here
// visits every block: mark bits are cleared block by block as marking first
// reaches a block (GcHeap.Marking.cs), and sweeping happens afterwards, as
// allocators need blocks (GcHeap.Sweeping.cs).
using System.Threading;
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

    public static void Collect(Roots* roots)
    {
        GcPause* pause = CurrentPause;
        ulong start = Now();
        ulong requested = (ulong)Interlocked.Exchange(ref s_requestedAtNs, 0);
        *pause = default;
        pause->Number = Collections + 1;
        pause->SafepointNs = requested != 0 && start > requested ? start - requested : 0;
        BeginMark();

        for (int i = 0; i < roots->StaticSlotCount; i++) MarkReference(*roots->StaticSlots[i]);
        for (byte* p = roots->PermanentStart; p < roots->PermanentEnd; p += ObjectSize(p + 8))
            ScanObject(p + 8);
        for (int r = 0; r < roots->ConservativeRangeCount; r++)
        {
            ulong* from = (ulong*)(roots->ConservativeRanges[2 * r] & ~7UL);
            ulong* to = (ulong*)roots->ConservativeRanges[2 * r + 1];
            for (ulong* w = from; w < to; w++) MarkConservative(*w);
        }
        ulong rooted = Now();
        pause->RootsNs = rooted - start;
        Drain();
        ulong marked = Now();
        pause->MarkNs = marked - rooted;
        TakeCensusIfWanted();
        EndCollection();
        ulong ended = Now();
        pause->SweepNs = ended - marked;
        pause->PauseNs = ended - start;
        pause->LiveBytes = LiveBytesAfterLastCollection;
        pause->LiveObjects = LiveObjectsAfterLastCollection;
    }

    // Restarts allocation on swept blocks only: every CPU's current block and every class list
    // belong to the cycle that ends, and the lazy sweep starts over from the first block.
    private static void EndCollection()
    {
        CountMarkedCells();
        for (int i = 0; i < MaxCpus * ClassCount; i++)
        {
            int b = s_current[i];
            if (b < 0) continue;
            s_info[b].Owner = -1;
            s_current[i] = -1;
        }
        for (int c = 0; c < ClassCount; c++) s_available[c] = -1;
        s_sweepCursor = 0;
        s_blocksInUse = s_markedBlocks;
        LiveBytesAfterLastCollection = s_markedBytes;
        LiveObjectsAfterLastCollection = s_markedObjects;
        s_allocatedSinceCollection = 0;
        // Collect again after as many bytes as are live (at least the minimum), but never later
        // than when half of what is free has been handed out.
        long free = (long)((ulong)s_blockCount * BlockSize - s_markedBytes);
        long trigger = (long)s_markedBytes > s_minimumTrigger ? (long)s_markedBytes : s_minimumTrigger;
        s_trigger = trigger < free / 2 ? trigger : free / 2;
        s_requested = 0;
        Collections = s_markEpoch;
    }
}
