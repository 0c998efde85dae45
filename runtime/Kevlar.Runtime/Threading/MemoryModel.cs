// MemoryModel: the seam through which a systematic tester models x86-64's
// store buffers under Atomic. On x86 (TSO) a plain store (Atomic.Store) waits
// in its CPU's store buffer and may become visible to the other CPUs only
// after that CPU's later loads: a store followed by a load of another field
// can be seen in the other order, unless a fence or a locked operation
// (Exchange, CompareExchange, FetchAdd, Fence) drains the buffer between
// them. An exploration that runs every access in program order never sees
// that reordering, so a dropped fence would look harmless. On metal Memory is
// null and the hardware does it; the Coyote host installs a model.
namespace Kevlar.Runtime.Threading;

public abstract class MemoryModel
{
    /// <summary>The value this CPU reads: its own latest store, else what other CPUs' buffered stores
    /// have not yet overwritten in memory.</summary>
    public abstract int Load(ref int location);

    public abstract long Load(ref long location);

    public abstract bool Load(ref bool location);

    /// <summary>A plain store: into this CPU's store buffer.</summary>
    public abstract void Store(ref int location, int value);

    public abstract void Store(ref long location, long value);

    public abstract void Store(ref bool location, bool value);

    /// <summary>A locked read-modify-write of the location by this CPU, about to run on memory: this
    /// CPU's buffer drains, and so do other CPUs' buffered stores to it (its value is the latest).</summary>
    public abstract void Locked(ref int location);

    public abstract void Locked(ref long location);

    /// <summary>A full fence by this CPU, or an access the model keeps in program order (a store or
    /// locked operation on a reference): this CPU's buffer drains first.</summary>
    public abstract void Fence();
}
