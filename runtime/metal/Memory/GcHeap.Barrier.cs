// The write barrier's collector side. While a concurrent mark runs, every store
// of a reference into an object greys the stored value (GcHeap.Concurrent.cs
// says why that is enough): the helpers ilc calls for reference stores
// (RhpAssignRef, RhpCheckedAssignRef, RhpByRefAssignRef: StubGen/RuntimeStubs.cs)
// test their CPU's switch and, when it is on, call Shade after the store; the
// corlib's paths that move references without those helpers (Interlocked on
// references, bulk copies of structs and arrays holding references) call
// Shade or ShadeRange themselves.
//
// Shade must not allocate or store references (it runs inside the barrier). A
// value that is outside the heap, allocated black, or already marked needs
// nothing; the rest go into the calling CPU's buffer, and a full buffer is
// marked under the mark lock. Buffers left at the finish pause are marked there.
// The filter reads mark state that the marker is writing: a block's mark epoch
// is published after its bits are cleared (StartMarkingIn), and mark bits only go
// from clear to set during a mark, so a value seen as marked is marked; one seen
// as not marked is buffered, which is always safe.
using System.Runtime;
using System.Threading;
using Kevlar.Runtime.Diagnostics;
using LockClass = Kevlar.Runtime.Threading.LockClass;

namespace Kevlar.Runtime.Metal.Memory;

// Safety: buffers are BarrierEntries slots per CPU below MaxCpus in the heap's metadata; values are
// looked up only after a range check against the region.
public static unsafe partial class GcHeap
{
    private const int BarrierEntries = 256;
    // How full a buffer gets before it is marked (BarrierEntries; Coyote's model makes it small).
    internal static int s_barrierFlushAt = BarrierEntries;

    private static nint* s_barrierBuffers;   // MaxCpus * BarrierEntries: each CPU's own slots
    private static int* s_barrierCounts;     // per CPU: how many of its slots hold values

    /// <summary>Greys <paramref name="value"/> for the mark under way; called by the barrier helpers after a
    /// store, and by the corlib. A no-op outside a concurrent mark.</summary>
    [RuntimeExport("KevlarGcShade")]
    public static void Shade(nint value)
    {
        byte* p = (byte*)value;
        if (p < s_base || p >= s_base + ((ulong)s_blockCount << BlockShift)) return;
        if (Volatile.Read(ref s_phase) != PhaseMarking || IsMarkedOrBlack(p)) return;
        int cpu = CurrentCpu();
        nint* buffer = &s_barrierBuffers[cpu * BarrierEntries];
        int n = s_barrierCounts[cpu];
        buffer[n++] = value;
        s_barrierCounts[cpu] = n;
        if (n < s_barrierFlushAt) return;
        if (SeededBugs.GcBarrierDropsFullBuffer)
        {
            s_barrierCounts[cpu] = 0; // seeded bug: the buffered references are never greyed
            return;
        }
        s_markLock.Enter(LockClass.GcMark);
        FlushBarrierBuffer(cpu);
        s_markLock.Exit();
    }

    /// <summary>Greys every word of [start, start+bytes) that points into the heap: after a bulk copy of
    /// memory holding references (the words that are not references only keep garbage a little longer).</summary>
    public static void ShadeRange(byte* start, ulong bytes)
    {
        if (Volatile.Read(ref s_phase) != PhaseMarking) return;
        ulong* w = (ulong*)(((ulong)start + 7) & ~7UL);
        ulong* end = (ulong*)(start + bytes);
        for (; w + 1 <= end; w++) Shade((nint)(*w));
    }

    // Marks the values in cpu's buffer and empties it: under the mark lock, or in a pause.
    private static void FlushBarrierBuffer(int cpu)
    {
        nint* buffer = &s_barrierBuffers[cpu * BarrierEntries];
        int n = s_barrierCounts[cpu];
        for (int i = 0; i < n; i++) MarkReference(buffer[i]);
        s_barrierCounts[cpu] = 0;
    }

    // True when the object containing p (inside the region) needs no grey: allocated black, or marked
    // in this mark.
    private static bool IsMarkedOrBlack(byte* p)
    {
        int b = (int)((ulong)(p - s_base) >> BlockShift);
        BlockInfo* info = &s_info[b];
        if (info->Kind == KindSmall)
        {
            if (info->BlackEpoch == s_markEpoch) return true;
            if (Volatile.Read(ref info->MarkEpoch) != s_markEpoch) return false;
            int cell = CellOf(info, b, p);
            return (Volatile.Read(ref s_markBits[b * BitmapWords + (cell >> 6)]) & (1UL << (cell & 63))) != 0;
        }
        if (info->Kind == KindLargeHead) return Volatile.Read(ref info->MarkEpoch) == s_markEpoch;
        if (info->Kind == KindLargeTail) return Volatile.Read(ref s_info[info->Large].MarkEpoch) == s_markEpoch;
        return false;
    }
}
