// One collection, run by a single CPU while every other CPU is parked at a
// safepoint: mark from the roots the caller names (static slots, permanent
// early objects, conservative word ranges), then sweep every block, rebuild the
// per-class lists and drop every CPU's current blocks.
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
        for (int b = 0; b < s_blockCount; b++)
        {
            s_info[b].LargeMarked = 0;
            if (s_info[b].Kind == KindSmall)
                for (int w = 0; w < BitmapWords; w++) s_markBits[b * BitmapWords + w] = 0;
        }
        s_markStackTop = 0;
        s_markStackOverflowed = false;
        ulong cleared = Now();
        pause->ClearNs = cleared - start;

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
        pause->RootsNs = rooted - cleared;
        Drain();
        ulong marked = Now();
        pause->MarkNs = marked - rooted;
        Sweep();
        ulong swept = Now();
        pause->SweepNs = swept - marked;
        pause->PauseNs = swept - start;
        pause->LiveBytes = LiveBytesAfterLastCollection;
        pause->LiveObjects = LiveObjectsAfterLastCollection;
    }

    private static void Sweep()
    {
        for (int c = 0; c < ClassCount; c++) s_available[c] = -1;
        for (int i = 0; i < MaxCpus * ClassCount; i++) s_current[i] = -1;
        ulong live = 0;
        long objects = 0;
        int inUse = 0;
        for (int b = 0; b < s_blockCount; b++)
        {
            BlockInfo* info = &s_info[b];
            info->Owner = -1;
            info->NextAvailable = -1;
            if (info->Kind == KindSmall)
            {
                int alive = 0;
                for (int w = 0; w < BitmapWords; w++)
                {
                    ulong survivors = s_allocBits[b * BitmapWords + w] & s_markBits[b * BitmapWords + w];
                    s_allocBits[b * BitmapWords + w] = survivors;
                    alive += PopCount(survivors);
                }
                if (alive == 0) { info->Kind = KindFree; continue; }
                BuildFreeList(b);
                live += (ulong)alive * (ulong)info->CellSize;
                objects += alive;
                inUse++;
                if (info->FreeCount > 0) { info->NextAvailable = s_available[info->SizeClass]; s_available[info->SizeClass] = b; }
            }
            else if (info->Kind == KindLargeHead)
            {
                int count = info->Large;
                if (info->LargeMarked == 0)
                    for (int i = 0; i < count; i++) s_info[b + i].Kind = KindFree;
                else { live += (ulong)count * BlockSize; inUse += count; objects++; }
                b += count - 1;
            }
        }
        s_blocksInUse = inUse;
        LiveBytesAfterLastCollection = live;
        LiveObjectsAfterLastCollection = objects;
        s_allocatedSinceCollection = 0;
        // Collect again after as many bytes as are live (at least the minimum), but never later
        // than when half of what is free has been handed out.
        long free = (long)((ulong)s_blockCount * BlockSize - live);
        long trigger = (long)live > s_minimumTrigger ? (long)live : s_minimumTrigger;
        s_trigger = trigger < free / 2 ? trigger : free / 2;
        s_requested = 0;
        Collections++;
    }

    private static int PopCount(ulong v)
    {
        int n = 0;
        while (v != 0) { v &= v - 1; n++; }
        return n;
    }
}
