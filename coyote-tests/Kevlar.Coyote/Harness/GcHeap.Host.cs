// What GcWorld needs of the collector beyond its kernel interface, as a part of
// the same partial class (its sources are compiled into this assembly): the
// rest of the lazy sweep at the end of a run, so the last check reads every
// cell the last collection freed as poisoned.
using Kevlar.Runtime.Threading;

namespace Kevlar.Runtime.Metal.Memory;

// Safety: the sweep touches block metadata and cells inside the run's heap, under the heap lock.
public static unsafe partial class GcHeap
{
    /// <summary>Sweeps every block the lazy sweep has not reached yet (no mark may be under way).</summary>
    internal static void SweepRestForHost()
    {
        s_lock.Enter(LockClass.HeapBlocks);
        SweepAll();
        s_lock.Exit();
    }
}
