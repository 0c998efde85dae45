// GcWorld: the real collector (runtime/metal/Memory/GcHeap*.cs, compiled into
// this assembly) on the simulated CPUs. A small heap in native memory, made
// afresh for every run; the roots the mutators keep (static slots); the
// safepoint client that runs GcHeap's pauses in the real safepoint rounds and
// its background slices at the top of each CPU's loop; and a barrier switch per
// CPU that the mutators' Store reads, as the barrier stubs read
// CpuLocal.GcBarrier. Freed cells are poisoned, and every object a mutator
// reads is checked: a reachable object the collector freed fails the run with
// UseAfterFree. The model scans one object per marking slice and per
// allocation assist and marks a barrier buffer every second reference, so
// slices, stores and flushes interleave finely.
using Internal.Runtime;
using Kevlar.Coyote.Mocks;
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Runtime.Metal.Tests.Support;
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Threading;
using Microsoft.Coyote.Actors;
using Microsoft.Coyote.Specifications;
using System.Runtime.InteropServices;

namespace Kevlar.Coyote.Harness;

// Safety: the heap, root slots and metadata are native buffers this class allocates once and sizes
// itself; nodes are read only where a mutator reached them from a root.
public sealed unsafe class GcWorld : ISafepointClient
{
    public const int RootSlots = 8;
    private const ulong RegionBytes = 64 * GcHeap.BlockSize;
    private const ulong MarkStackBytes = 64 * 1024;

    // Native memory for the heap, kept for the process: every run initialises it again.
    private static byte* s_region, s_metadata;
    private static ulong s_metadataBytes;
    private static nint* s_slots;
    private static nint** s_slotAddresses;
    private static readonly bool[] s_barrier = new bool[64];

    /// <summary>The mutators' small type: two reference fields (a 32-byte cell).</summary>
    public static readonly MethodTable* Node = FakeTypes.Class(2, 0, 1);

    /// <summary>A node that fills a heap block of its own (a large object): two reference fields, then 60 KiB
    /// of data.</summary>
    public static readonly MethodTable* BigNode = FakeTypes.Class(2 + 60 * 1024 / 8, 0, 1);

    public GcWorld(IActorRuntime runtime, int cpus)
    {
        if (s_region == null)
        {
            s_region = (byte*)NativeMemory.AlignedAlloc((nuint)RegionBytes, (nuint)GcHeap.BlockSize);
            s_metadataBytes = GcHeap.MetadataBytes(RegionBytes, MarkStackBytes);
            s_metadata = (byte*)NativeMemory.AllocZeroed((nuint)s_metadataBytes);
            s_slots = (nint*)NativeMemory.AllocZeroed(RootSlots * 8);
            s_slotAddresses = (nint**)NativeMemory.AllocZeroed(RootSlots * 8);
            for (int i = 0; i < RootSlots; i++)
            {
                s_slotAddresses[i] = &s_slots[i];
            }
        }
        for (int i = 0; i < RootSlots; i++)
        {
            s_slots[i] = 0;
        }
        Array.Clear(s_barrier);
        GcHeap.CurrentCpu = &CurrentCpu;
        GcHeap.RequestCollection = &RequestRound;
        GcHeap.CollectFromAllocation = &CollectFromAllocation;
        GcHeap.SetBarrier = &SetBarrier;
        GcHeap.CpuCount = cpus;
        GcHeap.NowNanoseconds = null;
        GcHeap.Concurrent = true;
        GcHeap.VerifyMarking = false;
        GcHeap.PoisonFreedCells = true;
        GcHeap.s_markSliceObjects = 1;
        GcHeap.s_assistObjectsPerBlock = 1;
        GcHeap.s_paceAssists = false;
        GcHeap.s_barrierFlushAt = 2;
        GcHeap.Initialize(s_region, RegionBytes, s_metadata, s_metadataBytes, long.MaxValue);
        World = new World(runtime, cpus, this);
    }

    public World World { get; }

    /// <summary>Runs mutator c on CPU c, each started by one message from the driver; at quiescence the last
    /// cycle ended after at least <paramref name="cycles"/> collections, with every reachable node intact.</summary>
    public void RunMutators(MockActor[] mutators, int cycles)
    {
        for (int c = 0; c < mutators.Length; c++)
        {
            World.Scheduler.Register(mutators[c], c);
        }
        World.QuiescentCheck = world => CheckAtEnd(world, cycles);
        World.StartCpus();
        foreach (MockActor m in mutators)
        {
            MockActor.SendTrackedFromDriver(World, 90, m, 0, 0);
        }
        World.DriverDone();
    }

    /// <summary>Root slot <paramref name="i"/> (read at both pauses of every collection).</summary>
    public static ref nint Root(int i) => ref s_slots[i];

    // The driver allocates before the CPUs start: it uses CPU 0's blocks.
    private static int CurrentCpu()
    {
        int cpu = World.Current?.Platform.CurrentCpu ?? 0;
        return cpu < 0 ? 0 : cpu;
    }

    private static void RequestRound() => World.Current?.Scheduler.Safepoint.Request();

    // As on metal, a CPU's handler takes part in the round from where it stands; the driver, which is
    // no CPU, cannot wait for one.
    private static bool CollectFromAllocation()
    {
        World? w = World.Current;
        int cpu = w == null ? -1 : w.Platform.CurrentCpu;
        if (cpu < 0)
        {
            return false;
        }
        w!.Scheduler.CollectFromHandler(cpu);
        return true;
    }

    private static void SetBarrier(int cpu, bool on) => s_barrier[cpu] = on;

    public void OnParking(int cpu)
    {
    }

    public void Collect()
    {
        var roots = new GcHeap.Roots { StaticSlots = s_slotAddresses, StaticSlotCount = RootSlots };
        GcHeap.Collect(&roots);
    }

    public bool Background(int cpu) => GcHeap.Background(cpu);

    /// <summary>A new node (black while a mark runs; the allocation may assist the mark).</summary>
    public static byte* New() => GcHeap.Allocate(Node, Node->BaseSize);

    /// <summary>A new node of a heap block of its own; the allocation may wait for a collection round.</summary>
    public static byte* NewBig() => GcHeap.Allocate(BigNode, BigNode->BaseSize);

    /// <summary>Field <paramref name="field"/> of a node the caller reached from a root.</summary>
    public static byte* Load(byte* node, int field)
    {
        CheckIntact(node);
        return (byte*)*(nint*)(node + 8 + 8 * field);
    }

    /// <summary>A reference store as compiled code does it: the store, then the barrier helper's test of
    /// this CPU's switch and Shade. Another CPU may run between the two, as on metal.</summary>
    public static void Store(byte* node, int field, byte* value)
    {
        CheckIntact(node);
        *(nint*)(node + 8 + 8 * field) = (nint)value;
        InterleaveHook.Point();
        if (s_barrier[CurrentCpu()])
        {
            GcHeap.Shade((nint)value);
        }
    }

    /// <summary>Links <paramref name="node"/> in front of the list in <paramref name="home"/>'s field 0: the old
    /// head into the node (a store into a new object, which is black during a mark), then the node into home.</summary>
    public static void Push(byte* home, byte* node)
    {
        Store(node, 0, Load(home, 0));
        Store(home, 0, node);
    }

    /// <summary>Fails the run when <paramref name="node"/>, which its caller reached from a root, was freed.</summary>
    public static void CheckIntact(byte* node)
    {
        ulong type = *(ulong*)node;
        Specification.Assert(type == (ulong)Node || type == (ulong)BigNode, "UseAfterFree: a reachable object was freed (its type word reads {0:x})", type);
    }

    /// <summary>At quiescence: the last cycle ended, and after the rest of the sweep every node reachable from
    /// the roots is intact.</summary>
    public static void CheckAtEnd(World w, int cycles)
    {
        Specification.Assert(GcHeap.Phase == GcHeap.PhaseIdle, "GcCycleEnds: a collection cycle was left in phase {0}", GcHeap.Phase);
        Specification.Assert(GcHeap.Collections >= cycles, "GcCycleEnds: {0} collections, expected {1}", GcHeap.Collections, cycles);
        GcHeap.SweepRestForHost();
        var seen = new HashSet<nint>();
        var pending = new Stack<nint>();
        for (int i = 0; i < RootSlots; i++)
        {
            pending.Push(s_slots[i]);
        }
        while (pending.Count > 0)
        {
            nint node = pending.Pop();
            if (node == 0 || !seen.Add(node))
            {
                continue;
            }
            CheckIntact((byte*)node);
            pending.Push(*(nint*)(node + 8));
            pending.Push(*(nint*)(node + 16));
        }
    }
}
