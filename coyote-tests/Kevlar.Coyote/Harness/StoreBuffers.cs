// StoreBuffers: x86-64's store buffers for Atomic's plain stores (MemoryModel),
// so that a store followed by a load of another field may be seen by the other
// CPUs in the other order, as on the hardware (TSO), and a missing fence shows.
//
// Memory always holds each CPU's latest store; a CPU's buffer keeps, oldest
// first, the address each of its undrained stores wrote and the value it
// overwrote. Another CPU's Atomic.Load of such an address returns the value
// before the oldest undrained store to it, so the store is not yet visible to
// it; the storing CPU reads memory (its own store, forwarded). The driver, a
// host thread outside the CPUs, has a buffer too. Drains keep the buffer's
// order: a whole buffer at its owner's fence or locked operation, at its store
// of a reference (the model keeps those in program order), when it sends a
// wakeup (the IPI follows its earlier stores), when its CPU leaves the world; a
// prefix when another CPU stores to or runs a locked operation on one of its
// addresses (that access comes after it in the location's order); and, as a
// store buffer drains on its own whatever its CPU does (halted too), each
// whole buffer at every scheduling point when a pseudo-random draw, seeded by
// the run's Coyote choice (Hooks), says so: with a chance of 1/2, 1/4, 1/8 or
// 1/16 a point, drawn per run, so a store stays buffered across a few steps or
// across a dozen.
//
// Addresses are only compared, never written through. A garbage collection of
// the host may move objects, so every buffer is dropped (its stores made
// visible, which memory already shows) when the collection count changes.
using System.Runtime.CompilerServices;
using Kevlar.Runtime.Threading;

namespace Kevlar.Coyote.Harness;

// Safety: addresses of the fields Atomic is handed are taken only to compare them, never dereferenced.
public sealed unsafe class StoreBuffers : MemoryModel
{
    private struct Entry
    {
        public nint Address;
        public long Old;
    }

    private readonly List<Entry>[] _buffers;
    private int _collections;
    private static ulong s_drawState = 1;
    // A buffer drains at a point when the draw's top s_drainBits bits are all zero.
    private static int s_drainBits = 1;

    public StoreBuffers(int cpus)
    {
        _buffers = new List<Entry>[cpus + 1]; // the last: the driver's
        for (int i = 0; i <= cpus; i++)
        {
            _buffers[i] = new List<Entry>();
        }
        _collections = GC.CollectionCount(0);
    }

    /// <summary>A run starts: the drains' draws follow <paramref name="seed"/> (a Coyote choice, so traces replay).</summary>
    internal static void Seed(int seed)
    {
        s_drawState = (((ulong)(uint)seed ^ 0x5851F42D4C957F2DUL) * 0x2545F4914F6CDD1DUL) | 1;
        s_drainBits = 1 + (int)(s_drawState >> 62);
    }

    // The running thread's buffer.
    private int Cpu => Slot(CoyotePlatform.CurrentCpuOfThread);

    // The buffer of cpu: its own, or the driver's (the last) for -1.
    private int Slot(int cpu) => cpu >= 0 && cpu < _buffers.Length - 1 ? cpu : _buffers.Length - 1;

    public override int Load(ref int location) => (int)LoadAt((nint)Unsafe.AsPointer(ref location), Volatile.Read(ref location));

    public override long Load(ref long location) => LoadAt((nint)Unsafe.AsPointer(ref location), Volatile.Read(ref location));

    public override bool Load(ref bool location) => LoadAt((nint)Unsafe.AsPointer(ref location), Volatile.Read(ref location) ? 1 : 0) != 0;

    public override void Store(ref int location, int value)
    {
        nint at = BeforeStore((nint)Unsafe.AsPointer(ref location));
        Buffer(at, Volatile.Read(ref location));
        Volatile.Write(ref location, value);
    }

    public override void Store(ref long location, long value)
    {
        nint at = BeforeStore((nint)Unsafe.AsPointer(ref location));
        Buffer(at, Volatile.Read(ref location));
        Volatile.Write(ref location, value);
    }

    public override void Store(ref bool location, bool value)
    {
        nint at = BeforeStore((nint)Unsafe.AsPointer(ref location));
        Buffer(at, Volatile.Read(ref location) ? 1 : 0);
        Volatile.Write(ref location, value);
    }

    public override void Locked(ref int location) => LockedAt((nint)Unsafe.AsPointer(ref location));

    public override void Locked(ref long location) => LockedAt((nint)Unsafe.AsPointer(ref location));

    public override void Fence() => _buffers[Cpu].Clear();

    /// <summary>True when no buffer but the calling CPU's holds a store: nothing it could load
    /// would change by a drain (its own stores it reads from its buffer).</summary>
    public bool OthersEmpty
    {
        get
        {
            int own = Cpu;
            for (int i = 0; i < _buffers.Length; i++)
            {
                if (i != own && _buffers[i].Count != 0)
                {
                    return false;
                }
            }
            return true;
        }
    }

    /// <summary>Drains <paramref name="cpu"/>'s buffer (-1: the driver's): all its stores become visible.</summary>
    public void Drain(int cpu) => _buffers[Slot(cpu)].Clear();

    /// <summary>At a scheduling point: each buffer holding stores drains when its draw says so.</summary>
    public void AtPoint()
    {
        foreach (List<Entry> b in _buffers)
        {
            if (b.Count == 0)
            {
                continue;
            }
            s_drawState ^= s_drawState << 13;
            s_drawState ^= s_drawState >> 7;
            s_drawState ^= s_drawState << 17;
            if ((s_drawState >> (64 - s_drainBits)) == 0)
            {
                b.Clear();
            }
        }
    }

    private long LoadAt(nint at, long memory)
    {
        if (Hooks.IsObserving || !Valid())
        {
            return memory; // the harness's own look at the state sees memory
        }
        int cpu = Cpu;
        for (int d = 0; d < _buffers.Length; d++)
        {
            if (d == cpu)
            {
                continue;
            }
            List<Entry> b = _buffers[d];
            for (int i = 0; i < b.Count; i++)
            {
                if (b[i].Address == at)
                {
                    return b[i].Old; // at most one CPU has stores to it pending (BeforeStore)
                }
            }
        }
        return memory;
    }

    // Another CPU's pending stores to the address come first in its order: they drain, with all before them.
    private nint BeforeStore(nint at)
    {
        Valid();
        DrainOthersThrough(at, Cpu);
        return at;
    }

    private void Buffer(nint at, long old) => _buffers[Cpu].Add(new Entry { Address = at, Old = old });

    private void LockedAt(nint at)
    {
        Valid();
        int cpu = Cpu;
        _buffers[cpu].Clear();
        DrainOthersThrough(at, cpu);
    }

    private void DrainOthersThrough(nint at, int cpu)
    {
        for (int d = 0; d < _buffers.Length; d++)
        {
            if (d == cpu)
            {
                continue;
            }
            List<Entry> b = _buffers[d];
            int last = b.Count - 1;
            while (last >= 0 && b[last].Address != at)
            {
                last--;
            }
            if (last >= 0)
            {
                b.RemoveRange(0, last + 1);
            }
        }
    }

    // False (and every buffer dropped) when the host collected since the last look: objects may have moved.
    private bool Valid()
    {
        int n = GC.CollectionCount(0);
        if (n == _collections)
        {
            return true;
        }
        _collections = n;
        foreach (List<Entry> b in _buffers)
        {
            b.Clear();
        }
        return false;
    }
}
