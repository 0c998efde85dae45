// Lazy sweep: a collection only marks; the blocks are swept afterwards, one at
// a time, by the allocators that need a block (under the heap lock, outside the
// pause). A cursor walks the blocks once per collection cycle; each block it
// passes is swept with the marks of the last collection: survivors keep their
// alloc bits, the rest become free cells, a block with none left is freed, and
// one with free cells goes on its class's list. Blocks formatted or swept
// since the last collection (SweptEpoch == Collections) are passed over. A
// block allocated black during the last collection's concurrent mark keeps
// every cell (invariant 4). A concurrent cycle first finishes the sweep in
// slices on its marking CPU (SweepSlice), so that marking starts with every
// block swept.
//
// Why unswept blocks are safe to leave until the next collection: their dead
// cells keep their alloc bits and their contents (invariant 1), so a
// conservative word that still points at one marks an intact object and, through
// its fields, only allocated cells (MarkAt checks alloc bits and pushes the
// cell's start). That retains garbage at worst; it never frees a reachable
// object, because sweeping after collection k frees exactly the cells k did not
// mark, and nothing allocated since k is in a block not swept since k.
using Kevlar.Runtime.Diagnostics;

namespace Kevlar.Runtime.Metal.Memory;

// Safety: the sweep touches only block metadata and cells of blocks below s_blockCount, under the heap lock.
public static unsafe partial class GcHeap
{
    // Next block the lazy sweep looks at; s_blockCount once every block is swept. Under the heap lock.
    private static int s_sweepCursor;

    /// <summary>Sweeps on from the cursor until a block of class <paramref name="cls"/> with free cells is on
    /// its list (true) or every block is swept (false). Caller holds the lock.</summary>
    private static bool SweepUntilAvailable(int cls)
    {
        while (s_sweepCursor < s_blockCount)
        {
            int b = s_sweepCursor;
            if (SweepNext() && s_info[b].Kind == KindSmall && s_info[b].SizeClass == cls && s_info[b].FreeCount > 0) return true;
        }
        return false;
    }

    // Sweeps the block (or large run) at the cursor unless it is swept already, and moves the cursor
    // past it; true when it swept a small block (which then is free, or on its class's list if it has free cells).
    private static bool SweepNext()
    {
        int b = s_sweepCursor;
        BlockInfo* info = &s_info[b];
        s_sweepCursor += info->Kind == KindLargeHead ? info->Large : 1;
        if (info->SweptEpoch == (int)Collections) return false;
        if (info->Kind == KindSmall)
        {
            SweepSmall(b);
            return true;
        }
        if (info->Kind == KindLargeHead) SweepLarge(b);
        return false;
    }

    /// <summary>Sweeps up to <paramref name="blocks"/> blocks; true once every block is swept. Caller holds the lock.</summary>
    private static bool SweepSome(int blocks)
    {
        for (int i = 0; i < blocks && s_sweepCursor < s_blockCount; i++) SweepNext();
        return s_sweepCursor >= s_blockCount;
    }

    /// <summary>Sweeps every block not swept since the last collection. Caller holds the lock.</summary>
    private static void SweepAll()
    {
        while (SweepUntilAvailable(-1)) { }
    }

    // Keeps the cells the last collection marked, frees the rest; frees the block when none is left.
    private static void SweepSmall(int b)
    {
        BlockInfo* info = &s_info[b];
        bool marked = info->MarkEpoch == (int)Collections;
        bool black = info->BlackEpoch == (int)Collections && !SeededBugs.GcSweepFreesBlackCells;
        int alive = 0;
        for (int w = 0; w < BitmapWords; w++)
        {
            ulong allocated = s_allocBits[b * BitmapWords + w];
            ulong survivors = black ? allocated : marked ? allocated & s_markBits[b * BitmapWords + w] : 0;
            if (PoisonFreedCells && allocated != survivors) Poison(b, w, allocated & ~survivors);
            s_allocBits[b * BitmapWords + w] = survivors;
            alive += PopCount(survivors);
        }
        info->SweptEpoch = (int)Collections;
        if (alive == 0)
        {
            info->Kind = KindFree;
            return;
        }
        BuildFreeList(b);
        if (info->FreeCount > 0)
        {
            info->NextAvailable = s_available[info->SizeClass];
            s_available[info->SizeClass] = b;
        }
    }

    // Frees the run of a large object the last collection did not mark.
    private static void SweepLarge(int head)
    {
        s_info[head].SweptEpoch = (int)Collections;
        if (s_info[head].MarkEpoch == (int)Collections) return;
        int count = s_info[head].Large;
        // The type word and the first fields are enough for a later read through a stale reference to show.
        if (PoisonFreedCells) for (ulong at = 8; at < 64; at += 8) *(ulong*)(BlockBase(head) + at) = PoisonPattern;
        for (int i = 0; i < count; i++) s_info[head + i].Kind = KindFree;
    }

    /// <summary>Fill freed cells with a pattern (all but the word the free list links through), so a
    /// reachable object the collector freed shows as soon as it is read (kevlar.gc=verify, Coyote).</summary>
    public static bool PoisonFreedCells;

    public const ulong PoisonPattern = 0xDEADDEADDEADDEADUL;

    // The cells of block b's bitmap word w that the mask names: everything after their first word.
    private static void Poison(int b, int w, ulong cells)
    {
        ulong size = (ulong)s_info[b].CellSize;
        for (int bit = 0; bit < 64; bit++)
        {
            if ((cells & (1UL << bit)) == 0) continue;
            byte* cell = BlockBase(b) + (ulong)(w * 64 + bit) * size;
            for (ulong at = 8; at < size; at += 8) *(ulong*)(cell + at) = PoisonPattern;
        }
    }

    /// <summary>Set bits of <paramref name="v"/> in a fixed dozen operations (SWAR), whatever their number.</summary>
    private static int PopCount(ulong v)
    {
        v -= (v >> 1) & 0x5555555555555555UL;
        v = (v & 0x3333333333333333UL) + ((v >> 2) & 0x3333333333333333UL);
        v = (v + (v >> 4)) & 0x0F0F0F0F0F0F0F0FUL;
        return (int)((v * 0x0101010101010101UL) >> 56);
    }
}
