// What GcWorld needs of the collector beyond its kernel interface, as a part of
// the same partial class (its sources are compiled into this assembly): a
// clean start for every run, and the rest of the lazy sweep at the end of one,
// so the last check reads every cell the last collection freed as poisoned.
using Kevlar.Runtime.Threading;

namespace Kevlar.Runtime.Metal.Memory;

public static unsafe partial class GcHeap
{
    /// <summary>Clears the state Initialize leaves alone (it runs once on metal) before a run's heap.</summary>
    internal static void ResetForHost()
    {
        s_lock = default;
        s_markLock = default;
        s_blocksInUse = 0;
        s_allocatedSinceCollection = 0;
        s_requested = 0;
        s_markStackTop = 0;
        s_markStackOverflowed = false;
        s_blackSmall = 0;
        s_blackLargeBlocks = 0;
        s_finishForced = false;
        s_keptBytes = 0;
        s_finishAttempts = 0;
        Collections = 0;
        LiveBytesAfterLastCollection = 0;
        LiveObjectsAfterLastCollection = 0;
    }

    /// <summary>Sweeps every block the lazy sweep has not reached yet (no mark may be under way).</summary>
    internal static void SweepRestForHost()
    {
        s_lock.Enter(LockClass.HeapBlocks);
        SweepAll();
        s_lock.Exit();
    }
}
