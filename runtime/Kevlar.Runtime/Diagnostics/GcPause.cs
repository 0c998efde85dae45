// GcPause: the figures of one collection as the collector records them, in
// nanoseconds and bytes. The phases add up to at most the pause: what is left
// is the collector's bookkeeping around them.
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
    /// <summary>The world stopped: every CPU parked, from the collection's start to its end.</summary>
    public ulong PauseNs;
    /// <summary>Bytes of cells (and whole blocks for large objects) holding reachable objects afterwards.</summary>
    public ulong LiveBytes;
    /// <summary>Reachable objects afterwards.</summary>
    public long LiveObjects;
}
