// Marking: an explicit mark stack (no recursion on the kernel stack), precise
// scanning of heap objects through the GCDesc below their MethodTable, and
// conservative lookup of arbitrary words from stacks and registers. When the
// mark stack fills, objects are marked but not pushed and a rescan pass over
// marked objects finishes the job. Mark bits are per collection (the block's
// MarkEpoch, invariant 3): a block's bits are cleared when this collection
// first marks in it, so blocks without live objects are never touched. The
// blocks marked in are listed, and each counts the cells marked in it, so the
// live figures come from the list alone (adding to global totals per marked
// object instead doubled the mark time under TCG; a pass over the listed
// blocks' bitmaps was most of a concurrent collection's finish pause).
using System.Runtime.CompilerServices;
using System.Threading;
using Internal.Runtime;

namespace Kevlar.Runtime.Metal.Memory;

public static unsafe partial class GcHeap
{
    private static nint* s_markStack;
    private static int s_markStackCapacity;
    private static int s_markStackTop;
    private static bool s_markStackOverflowed;

    // The collection under way (Collections + 1), the small blocks it has marked in (s_markedList),
    // and the blocks, bytes and objects of the large objects it has marked.
    private static int s_markEpoch;
    private static int* s_markedList;
    private static int s_markedSmall;
    private static int s_markedBlocks;
    private static ulong s_markedBytes;
    private static long s_markedObjects;

    private static void BeginMark()
    {
        s_markEpoch = (int)Collections + 1;
        s_markedSmall = 0;
        s_markedBlocks = 0;
        s_markedBytes = 0;
        s_markedObjects = 0;
        s_markStackTop = 0;
        s_markStackOverflowed = false;
    }

    /// <summary>Object size in bytes (header included, rounded to 8), from its MethodTable and length.</summary>
    public static ulong ObjectSize(byte* obj)
    {
        MethodTable* mt = *(MethodTable**)obj;
        ulong size = mt->BaseSize;
        if (mt->HasComponentSize) size += (ulong)(uint)*(int*)(obj + 8) * mt->ComponentSize;
        size = (size + 7) & ~7UL;
        return size < 24 ? 24 : size;
    }

    /// <summary>Marks the object a precise reference points at (ignored outside the heap: frozen literals, early objects).</summary>
    public static void MarkReference(nint reference)
    {
        byte* p = (byte*)reference;
        if (p < s_base || p >= s_base + ((ulong)s_blockCount << BlockShift)) return;
        MarkAt(p, exact: true);
    }

    /// <summary>Marks whatever allocated object contains <paramref name="word"/>, if any.</summary>
    public static void MarkConservative(ulong word)
    {
        byte* p = (byte*)word;
        if (p < s_base || p >= s_base + ((ulong)s_blockCount << BlockShift)) return;
        MarkAt(p, exact: false);
    }

    private static void MarkAt(byte* p, bool exact)
    {
        int b = (int)((ulong)(p - s_base) >> BlockShift);
        BlockInfo* info = &s_info[b];
        if (info->Kind == KindSmall)
        {
            int cell = CellOf(info, b, p);
            if (cell >= info->CellCount) return;
            ulong bit = 1UL << (cell & 63);
            int word = b * BitmapWords + (cell >> 6);
            if ((s_allocBits[word] & bit) == 0) return;
            if (info->MarkEpoch != s_markEpoch)
            {
                // Out of line, and a tail call: keeps this path free of calls that would make
                // it save registers for every reference (10% of the mark's instructions).
                MarkFirstInBlock(p, b, exact);
                return;
            }
            if ((s_markBits[word] & bit) != 0) return;
            s_markBits[word] |= bit;
            info->MarkedCells++;
            Push(BlockBase(b) + (ulong)cell * (ulong)info->CellSize + 8);
        }
        else if (info->Kind == KindLargeHead || info->Kind == KindLargeTail)
        {
            int head = info->Kind == KindLargeHead ? b : info->Large;
            if (s_info[head].MarkEpoch == s_markEpoch) return;
            s_info[head].MarkEpoch = s_markEpoch;
            s_markedBlocks += s_info[head].Large;
            s_markedBytes += (ulong)s_info[head].Large * BlockSize;
            s_markedObjects++;
            Push(BlockBase(head) + 8);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MarkFirstInBlock(byte* p, int b, bool exact)
    {
        // A block allocated black during this mark is live as a whole (invariant 4).
        if (s_info[b].BlackEpoch == s_markEpoch) return;
        StartMarkingIn(b);
        MarkAt(p, exact);
    }

    // The first mark of this collection in small block b: its bits from an earlier one go. The
    // epoch is published after the bits are cleared: the barrier's filter (IsMarkedOrBlack) reads
    // it first on other CPUs.
    private static void StartMarkingIn(int b)
    {
        for (int w = 0; w < BitmapWords; w++) s_markBits[b * BitmapWords + w] = 0;
        s_info[b].MarkedCells = 0;
        Volatile.Write(ref s_info[b].MarkEpoch, s_markEpoch);
        s_markedList[s_markedSmall++] = b;
        s_markedBlocks++;
    }

    /// <summary>Adds the cells marked in the listed small blocks to the marked bytes and objects.</summary>
    private static void CountMarkedCells()
    {
        for (int i = 0; i < s_markedSmall; i++)
        {
            int b = s_markedList[i];
            long cells = s_info[b].MarkedCells;
            s_markedObjects += cells;
            s_markedBytes += (ulong)cells * (ulong)s_info[b].CellSize;
        }
    }

    private static void Push(byte* obj)
    {
        if (s_markStackTop == s_markStackCapacity) { s_markStackOverflowed = true; return; }
        s_markStack[s_markStackTop++] = (nint)obj;
    }

    /// <summary>Scans until the mark stack is empty and no overflow is outstanding.</summary>
    private static void Drain()
    {
        while (true)
        {
            while (s_markStackTop > 0) ScanObject((byte*)s_markStack[--s_markStackTop]);
            if (!s_markStackOverflowed) return;
            s_markStackOverflowed = false;
            RescanMarked();
        }
    }

    /// <summary>After an overflow: rescan every marked object (children already marked are skipped).</summary>
    private static void RescanMarked()
    {
        for (int b = 0; b < s_blockCount; b++)
        {
            BlockInfo* info = &s_info[b];
            if (info->MarkEpoch != s_markEpoch) continue;
            if (info->Kind == KindLargeHead) ScanObject(BlockBase(b) + 8);
            if (info->Kind != KindSmall) continue;
            for (int c = 0; c < info->CellCount; c++)
                if ((s_markBits[b * BitmapWords + (c >> 6)] & (1UL << (c & 63))) != 0)
                {
                    ScanObject(BlockBase(b) + (ulong)c * (ulong)info->CellSize + 8);
                    while (s_markStackTop > 0) ScanObject((byte*)s_markStack[--s_markStackTop]);
                }
        }
    }

    /// <summary>Marks every reference field of the object, following its GCDesc (see shared/TOOLCHAIN.md).</summary>
    public static void ScanObject(byte* obj) => VisitReferences(obj, VisitMark);

    // What VisitReferences does with each field: mark it; count it as a reference from obj's type
    // when it points at the type the census asks about; check it points at a marked object (Verify).
    private const int VisitMark = 0, VisitCountReferrer = 1, VisitCheckMarked = 2;

    // Every reference field of obj, handed to the visit. Inlined with a constant, so the mark's
    // copy has no test per field.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void VisitReferences(byte* obj, int visit)
    {
        MethodTable* mt = *(MethodTable**)obj;
        if (!mt->ContainsGCPointers) return;
        long* desc = (long*)mt;
        long series = desc[-1];
        ulong size = ObjectSize(obj);
        if (series > 0)
        {
            for (long i = 1; i <= series; i++)
            {
                long seriesSize = desc[-1 - 2 * i];
                long offset = desc[-2 * i];
                byte* from = obj + offset;
                byte* to = from + seriesSize + (long)size;
                for (byte* slot = from; slot < to; slot += 8) Visit(obj, slot, visit);
            }
        }
        else
        {
            // Arrays of structs mixing references and data: repeat the item list to the end.
            long items = -series;
            byte* slot = obj + desc[-2];
            byte* end = obj - 8 + size; // size counts the header before obj
            while (slot < end)
            {
                for (long j = 0; j < items && slot < end; j++)
                {
                    uint* item = (uint*)((byte*)mt - 24 - 8 * j);
                    for (uint k = 0; k < item[0]; k++, slot += 8) Visit(obj, slot, visit);
                    slot += item[1];
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Visit(byte* obj, byte* slot, int visit)
    {
        if (visit == VisitMark) MarkReference(*(nint*)slot);
        else if (visit == VisitCountReferrer) CountReferrer(obj, *(nint*)slot);
        else CheckMarked(obj, slot);
    }
}
