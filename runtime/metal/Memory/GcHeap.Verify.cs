// Checks a finished mark, for tests (GcHeap.VerifyMarking, boot option
// kevlar.gc=verify): every root and every reference field of every object the
// collection keeps points at an object it keeps (or outside the heap). Then the
// kept set is closed under reachability, so nothing reachable is freed: a path
// from a root to an unmarked object would have a first edge from a kept object
// to an unkept one. A failure is a store the barrier missed (or a marking bug);
// the report names the holder, its type, the field and the target before the
// panic. Costs about one more mark, inside the finish pause.
using Kevlar.Runtime.Metal.Exports;

namespace Kevlar.Runtime.Metal.Memory;

// Safety: reads cells the collection keeps and block metadata inside the region, while every other CPU is parked.
public static unsafe partial class GcHeap
{
    /// <summary>Prints a hole in the marked set before the panic (installed by the platform; must not allocate):
    /// the holder object (null for a root), the field's address and the unmarked target.</summary>
    public static delegate*<byte*, byte*, nint, void> ReportMarkingHole;

    private static void VerifyMarkedSetClosed(Roots* roots)
    {
        for (int i = 0; i < roots->StaticSlotCount; i++) CheckMarked(null, (byte*)roots->StaticSlots[i]);
        for (byte* p = roots->PermanentStart; p < roots->PermanentEnd; p += ObjectSize(p + 8))
            VisitReferences(p + 8, VisitCheckMarked);
        for (int r = 0; r < roots->ConservativeRangeCount; r++)
        {
            ulong* from = (ulong*)(roots->ConservativeRanges[2 * r] & ~7UL);
            ulong* to = (ulong*)roots->ConservativeRanges[2 * r + 1];
            for (ulong* w = from; w < to; w++)
                if (ContainingObject((byte*)*w) != null) CheckMarked(null, (byte*)w);
        }
        VisitLiveObjects(&CheckFields);
    }

    private static void CheckFields(byte* obj, ulong bytes) => VisitReferences(obj, VisitCheckMarked);

    // The field at slot of holder (null: a root) must point outside the heap or at a kept object.
    private static void CheckMarked(byte* holder, byte* slot)
    {
        nint target = *(nint*)slot;
        byte* p = (byte*)target;
        if (p < s_base || p >= s_base + ((ulong)s_blockCount << BlockShift)) return;
        if (IsKept(p)) return;
        if (ReportMarkingHole != null) ReportMarkingHole(holder, slot, target);
        FailFastExports.Fail("gc: the marked set is not closed: a reachable object is not marked (a missed write barrier?)");
    }

    // True when the allocated object containing p survives this collection; false also for a free cell.
    private static bool IsKept(byte* p)
    {
        int b = (int)((ulong)(p - s_base) >> BlockShift);
        BlockInfo* info = &s_info[b];
        if (info->Kind == KindLargeHead) return info->MarkEpoch == s_markEpoch;
        if (info->Kind == KindLargeTail) return s_info[info->Large].MarkEpoch == s_markEpoch;
        if (info->Kind != KindSmall) return false;
        int cell = CellOf(info, b, p);
        if (cell >= info->CellCount) return false;
        ulong bit = 1UL << (cell & 63);
        int word = b * BitmapWords + (cell >> 6);
        if ((s_allocBits[word] & bit) == 0) return false;
        if (info->BlackEpoch == s_markEpoch) return true;
        return info->MarkEpoch == s_markEpoch && (s_markBits[word] & bit) != 0;
    }

    // The allocated object a conservative word points into, or null.
    private static byte* ContainingObject(byte* p)
    {
        if (p < s_base || p >= s_base + ((ulong)s_blockCount << BlockShift)) return null;
        int b = (int)((ulong)(p - s_base) >> BlockShift);
        BlockInfo* info = &s_info[b];
        if (info->Kind == KindLargeHead || info->Kind == KindLargeTail)
            return BlockBase(info->Kind == KindLargeHead ? b : info->Large) + 8;
        if (info->Kind != KindSmall) return null;
        int cell = CellOf(info, b, p);
        if (cell >= info->CellCount || (s_allocBits[b * BitmapWords + (cell >> 6)] & (1UL << (cell & 63))) == 0) return null;
        return BlockBase(b) + (ulong)cell * (ulong)info->CellSize + 8;
    }

    /// <summary>Calls <paramref name="visit"/>(object, cell bytes) for every object this collection keeps: the
    /// marked cells of the blocks it marked in, every cell of the blocks allocated black during it, and the
    /// large objects it marked. In its pause, after marking.</summary>
    private static void VisitLiveObjects(delegate*<byte*, ulong, void> visit)
    {
        for (int i = 0; i < s_markedSmall; i++) VisitCells(s_markedList[i], s_markBits, visit);
        for (int i = 0; i < s_blackSmall; i++) VisitCells(s_blackList[i], s_allocBits, visit);
        for (int b = 0; b < s_blockCount; b++)
            if (s_info[b].Kind == KindLargeHead && s_info[b].MarkEpoch == s_markEpoch)
                visit(BlockBase(b) + 8, (ulong)s_info[b].Large * BlockSize);
    }

    private static void VisitCells(int b, ulong* bits, delegate*<byte*, ulong, void> visit)
    {
        BlockInfo* info = &s_info[b];
        for (int c = 0; c < info->CellCount; c++)
            if ((bits[b * BitmapWords + (c >> 6)] & (1UL << (c & 63))) != 0)
                visit(BlockBase(b) + (ulong)c * (ulong)info->CellSize + 8, (ulong)info->CellSize);
    }
}
