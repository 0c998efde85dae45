// GcPause: the figures of one collection as the collector records them, in
// nanoseconds and bytes. A collection stops the world once, or twice when it
// marks concurrently: a short start pause (StartPauseNs), the mark while CPUs
// run (ConcurrentNs), and the finish pause, whose phases are RootsNs (of the
// start), MarkNs and SweepNs. PauseNs is the longest pause; the phases of one
// pause add up to at most it: what is left is the collector's bookkeeping.
namespace Kevlar.Runtime.Diagnostics;

public struct GcPause
{
    /// <summary>The collection's number: 1 for the first since boot.</summary>
    public long Number;
    /// <summary>From the first request of this round to every CPU parked (0 when nobody stamped the request).</summary>
    public ulong SafepointNs;
    /// <summary>Clearing mark bits in a pass of its own before marking (0 when marking clears them as it goes).</summary>
    public ulong ClearNs;
    /// <summary>Marking what the roots (static slots, early objects, stacks, saved registers) reference.</summary>
    public ulong RootsNs;
    /// <summary>Tracing everything reachable from the objects the roots marked.</summary>
    public ulong MarkNs;
    /// <summary>The part of sweeping done while the world is stopped.</summary>
    public ulong SweepNs;
    /// <summary>The longest time the world stood still: every CPU parked, from the collection's start to its
    /// end, or the longer of a concurrent collection's two pauses.</summary>
    public ulong PauseNs;
    /// <summary>A concurrent collection's start pause (0 for one that stops the world once).</summary>
    public ulong StartPauseNs;
    /// <summary>From the start pause's end to the finish pause: the mark running beside handlers and user code.</summary>
    public ulong ConcurrentNs;
    /// <summary>Finish pauses that found more to trace than a short pause allows and let the mark go on.</summary>
    public int FinishRetries;
    /// <summary>Bytes allocated during a concurrent mark, kept without tracing (not in LiveBytes).</summary>
    public ulong AllocatedDuringMarkBytes;
    /// <summary>Bytes of cells (and whole blocks for large objects) holding reachable objects afterwards.</summary>
    public ulong LiveBytes;
    /// <summary>Reachable objects afterwards.</summary>
    public long LiveObjects;
}
