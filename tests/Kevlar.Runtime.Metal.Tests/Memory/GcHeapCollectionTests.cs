// GcHeap collection: roots keep objects alive, everything else (cycles
// included) is swept, freed cells and blocks are reused, and a large cyclic
// graph dropped and collected leaves the heap where it started.
using System;
using System.Collections.Generic;
using System.Linq;
using Internal.Runtime;
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Runtime.Metal.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.Runtime.Metal.Tests.Memory;

public unsafe class GcHeapCollectionTests(ITestOutputHelper output)
{
    /// <summary>Node: two reference fields (next, cross); 32 bytes, 32-byte cells.</summary>
    private static readonly MethodTable* s_node = FakeTypes.Class(2, 0, 1);
    private static readonly MethodTable* s_leaf = FakeTypes.Class(1);
    private static readonly MethodTable* s_array = FakeTypes.PointerArray();

    [Fact]
    public void Collect_StaticSlotRoot_KeepsObjectAndWhatItReaches()
    {
        using var heap = new TestHeap();
        byte* a = TestHeap.New(s_node), b = TestHeap.New(s_node), c = TestHeap.New(s_leaf);
        TestHeap.Field(a, 0) = (nint)b;
        TestHeap.Field(b, 1) = (nint)c;
        heap.Slot(7) = (nint)a;
        for (int i = 0; i < 100; i++) TestHeap.New(s_node); // garbage
        heap.Collect();
        Assert.Equal(2 * 32UL + 24UL, GcHeap.LiveBytesAfterLastCollection);
        Assert.True(*(MethodTable**)c == s_leaf);
        Assert.Equal(1, GcHeap.Collections);
    }

    [Fact]
    public void Collect_NoRoots_SweepsEverythingAndReturnsBlocks()
    {
        using var heap = new TestHeap();
        for (int i = 0; i < 10_000; i++) TestHeap.New(s_node);
        for (int i = 0; i < 10_000; i++) TestHeap.New(s_leaf);
        Assert.True(GcHeap.UsedBytes > 0);
        heap.Collect();
        Assert.Equal(0UL, GcHeap.LiveBytesAfterLastCollection);
        Assert.Equal(0UL, GcHeap.UsedBytes);
    }

    [Fact]
    public void Collect_SurvivorsCells_NeverHandedOutAgain()
    {
        using var heap = new TestHeap();
        var survivors = new HashSet<long>();
        byte* list = null;
        for (int i = 0; i < 5000; i++)
        {
            byte* n = TestHeap.New(s_node);
            if (i % 3 == 0)
            {
                TestHeap.Field(n, 0) = (nint)list;
                list = n;
                survivors.Add((long)n);
            }
        }
        heap.Slot(0) = (nint)list;
        heap.Collect();
        Assert.Equal((ulong)survivors.Count * 32, GcHeap.LiveBytesAfterLastCollection);
        for (int i = 0; i < 20_000; i++)
        {
            byte* n = TestHeap.New(s_node);
            Assert.DoesNotContain((long)n, survivors);
            Assert.Equal(0, TestHeap.Field(n, 0));
        }
        // The survivors' list is intact.
        int count = 0;
        for (byte* p = list; p != null; p = (byte*)TestHeap.Field(p, 0)) count++;
        Assert.Equal(survivors.Count, count);
    }

    [Fact]
    public void Collect_FreedCell_ReallocatedZeroed()
    {
        using var heap = new TestHeap();
        byte* a = TestHeap.New(s_node);
        TestHeap.Field(a, 0) = (nint)a;
        TestHeap.Field(a, 1) = 0x1234;
        TestHeap.New(s_node); // keeps the block in use while a's cell is free
        heap.Slot(0) = (nint)TestHeap.New(s_node);
        heap.Collect();
        byte* again = TestHeap.New(s_node);
        Assert.True(again == a, "the lowest free cell is handed out first");
        Assert.Equal(0, TestHeap.Field(again, 0));
        Assert.Equal(0, TestHeap.Field(again, 1));
    }

    [Fact]
    public void Collect_SelfCycleAndTwoCycle_Swept()
    {
        using var heap = new TestHeap();
        byte* a = TestHeap.New(s_node), b = TestHeap.New(s_node), c = TestHeap.New(s_node);
        TestHeap.Field(a, 0) = (nint)a;
        TestHeap.Field(b, 0) = (nint)c;
        TestHeap.Field(c, 0) = (nint)b;
        heap.Collect();
        Assert.Equal(0UL, GcHeap.LiveBytesAfterLastCollection);
    }

    [Fact]
    public void Collect_LargeCyclicGraphDropped_UsedBytesBackToBaseline()
    {
        using var heap = new TestHeap(regionBytes: 32 << 20);
        // A small permanent structure the graph does not touch.
        heap.Slot(0) = (nint)TestHeap.New(s_leaf);
        heap.Collect();
        ulong baseline = GcHeap.UsedBytes;

        const int nodes = 200_000, ringSize = 1000;
        for (int round = 0; round < 3; round++)
        {
            byte* heads = TestHeap.NewArray(s_array, nodes / ringSize);
            heap.Slot(1) = (nint)heads;
            BuildRings(heads, nodes, ringSize);
            ulong built = GcHeap.UsedBytes;
            heap.Collect();
            Assert.Equal(built, GcHeap.UsedBytes);
            Assert.Equal(24UL + nodes * 32UL + (ulong)GcHeapAllocationTests.CellSize(24 + 8 * (nodes / ringSize)),
                GcHeap.LiveBytesAfterLastCollection);

            heap.Slot(1) = 0;
            heap.Collect();
            output.WriteLine($"round {round}: heap before {baseline / 1024} KiB, with {nodes} nodes {built / 1024} KiB, after drop {GcHeap.UsedBytes / 1024} KiB");
            Assert.Equal(baseline, GcHeap.UsedBytes);
            Assert.Equal(24UL, GcHeap.LiveBytesAfterLastCollection);
        }
    }

    /// <summary>Rings of <paramref name="ringSize"/> nodes (next), each node's cross link into the previous ring.</summary>
    private static void BuildRings(byte* heads, int nodes, int ringSize)
    {
        byte* previousRing = null;
        for (int r = 0; r < nodes / ringSize; r++)
        {
            byte* first = TestHeap.New(s_node), last = first;
            for (int i = 1; i < ringSize; i++)
            {
                byte* n = TestHeap.New(s_node);
                TestHeap.Field(last, 0) = (nint)n;
                TestHeap.Field(n, 1) = (nint)(previousRing != null ? previousRing : first);
                last = n;
            }
            TestHeap.Field(last, 0) = (nint)first;
            TestHeap.Field(first, 1) = (nint)last;
            TestHeap.Element(heads, r) = (nint)first;
            if (previousRing != null) TestHeap.Field(previousRing, 1) = (nint)first;
            previousRing = first;
        }
    }

    [Fact]
    public void Collect_RepeatedChurn_HeapStaysFlat()
    {
        using var heap = new TestHeap(regionBytes: 8 << 20);
        byte* keep = TestHeap.New(s_node);
        heap.Slot(0) = (nint)keep;
        var used = new List<ulong>();
        for (int round = 0; round < 30; round++)
        {
            // 3 MB of short-lived objects per round in an 8 MB heap: without reuse this runs out.
            for (int i = 0; i < 100_000; i++) TestHeap.Field(keep, 1) = (nint)TestHeap.New(s_node);
            heap.Collect();
            used.Add(GcHeap.UsedBytes);
        }
        output.WriteLine($"used after each collection: {string.Join(" ", used.Select(u => u / 1024))} KiB");
        // The kept node's block and the block of the last node it points to.
        Assert.All(used, u => Assert.Equal(used[0], u));
        Assert.True(used[0] <= 2 * GcHeap.BlockSize);
    }

    [Fact]
    public void Collect_PermanentArenaObject_FieldsAreRoots()
    {
        using var heap = new TestHeap();
        byte* arena = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(4096);
        try
        {
            EarlyArena.Initialize(arena, 4096);
            byte* early = EarlyArena.Allocate(s_node, s_node->BaseSize);
            byte* earlyArray = EarlyArena.Allocate(s_array, 24 + 8 * 4);
            *(int*)(earlyArray + 8) = 4;
            byte* kept = TestHeap.New(s_leaf), inArray = TestHeap.New(s_node);
            TestHeap.Field(early, 0) = (nint)kept;
            TestHeap.Field(early, 1) = (nint)early;           // outside the heap: ignored
            TestHeap.Element(earlyArray, 3) = (nint)inArray;
            TestHeap.New(s_node);                              // garbage
            heap.Collect(EarlyArena.Start, EarlyArena.Next);
            Assert.Equal(24UL + 32UL, GcHeap.LiveBytesAfterLastCollection);
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.Free(arena);
        }
    }
}
