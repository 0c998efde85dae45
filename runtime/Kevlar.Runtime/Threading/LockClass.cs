// LockClass: the kernel's few spinning locks, numbered by rank. A CPU may take
// a lock only while every lock it holds has a lower rank (LockWatch checks it
// on metal, as Linux's lockdep checks lock classes), so no two CPUs can ever
// wait for each other's locks. The order is the nesting the code needs: a
// process step allocates page tables, heap blocks and frames and may print;
// printing takes nothing else.
namespace Kevlar.Runtime.Threading;

public enum LockClass : byte
{
    /// <summary>A process's step lock (StepLock): its threads' handlers one at a time.</summary>
    Process = 1,
    /// <summary>The pool of spare top-level page tables.</summary>
    PageTablePool = 2,
    /// <summary>The collector's block pool (GcHeap).</summary>
    HeapBlocks = 3,
    /// <summary>The physical page frame allocator.</summary>
    PageFrames = 4,
    /// <summary>The serial line, for a whole line of output.</summary>
    SerialLine = 5,
    /// <summary>The collector's mark state during a concurrent mark (GcHeap): taken by the write barrier,
    /// which runs under any other lock, so it ranks last.</summary>
    GcMark = 6,
}

public static class LockClasses
{
    /// <summary>One more than the highest rank.</summary>
    public const int Count = 7;

    public static string Name(LockClass c) => c switch
    {
        LockClass.Process => "process",
        LockClass.PageTablePool => "page-table-pool",
        LockClass.HeapBlocks => "heap-blocks",
        LockClass.PageFrames => "page-frames",
        LockClass.SerialLine => "serial-line",
        LockClass.GcMark => "gc-mark",
        _ => "unknown",
    };
}

/// <summary>What LockWatch measured for one lock class, summed over the CPUs.</summary>
public struct LockFigures
{
    public long Acquisitions;
    /// <summary>Acquisitions that found the lock held and waited.</summary>
    public long Contended;
    /// <summary>Holds longer than LockWatch.LongHoldNanoseconds.</summary>
    public long LongHolds;
    public ulong TotalHoldNanoseconds;
    public ulong MaxHoldNanoseconds;
    public ulong MaxWaitNanoseconds;
}
