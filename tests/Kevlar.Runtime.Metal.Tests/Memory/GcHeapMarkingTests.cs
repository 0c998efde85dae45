// GcHeap marking: precise scanning through each GCDesc shape (class series,
// reference arrays, struct arrays with a negative series count, no pointers),
// conservative words from stacks, and the mark-stack overflow rescan.
using System;
using System.Collections.Generic;
using Internal.Runtime;
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Runtime.Metal.Tests.Support;
using Xunit;

namespace Kevlar.Runtime.Metal.Tests.Memory;

public unsafe class GcHeapMarkingTests
{
    private static readonly MethodTable* s_node = FakeTypes.Class(2, 0, 1);   // next, cross: 32 bytes
    private static readonly MethodTable* s_leaf = FakeTypes.Class(1);          // 24 bytes
    private static readonly MethodTable* s_array = FakeTypes.PointerArray();

    [Fact]
    public void Scan_ClassWithTwoSeries_FollowsReferencesNotDataWords()
    {
        using var heap = new TestHeap();
        // Fields: data, ref, ref, data, ref, data -> series {1,2} and {4}.
        var mixed = FakeTypes.Class(6, 1, 2, 4);
        byte* obj = TestHeap.New(mixed);
        byte* r1 = TestHeap.New(s_leaf), r2 = TestHeap.New(s_leaf), r4 = TestHeap.New(s_leaf);
        byte* d0 = TestHeap.New(s_leaf), d3 = TestHeap.New(s_leaf), d5 = TestHeap.New(s_leaf);
        TestHeap.Field(obj, 1) = (nint)r1;
        TestHeap.Field(obj, 2) = (nint)r2;
        TestHeap.Field(obj, 4) = (nint)r4;
        TestHeap.Field(obj, 0) = (nint)d0;  // data words that happen to hold heap addresses
        TestHeap.Field(obj, 3) = (nint)d3;
        TestHeap.Field(obj, 5) = (nint)d5;
        heap.Slot(0) = (nint)obj;
        heap.Collect();
        Assert.Equal((ulong)GcHeapAllocationTests.CellSize(mixed->BaseSize) + 3 * 24UL, GcHeap.LiveBytesAfterLastCollection);
    }

    [Fact]
    public void Scan_PointerArray_FollowsEveryElement()
    {
        using var heap = new TestHeap();
        byte* array = TestHeap.NewArray(s_array, 1000);
        for (int i = 0; i < 1000; i++)
            if (i % 2 == 0) TestHeap.Element(array, i) = (nint)TestHeap.New(s_leaf);
            else TestHeap.New(s_leaf);
        heap.Slot(0) = (nint)array;
        heap.Collect();
        Assert.Equal((ulong)GcHeapAllocationTests.CellSize(24 + 8000) + 500 * 24UL, GcHeap.LiveBytesAfterLastCollection);
    }

    [Fact]
    public void Scan_EmptyPointerArray_MarksNothingElse()
    {
        using var heap = new TestHeap();
        byte* array = TestHeap.NewArray(s_array, 0);
        TestHeap.New(s_leaf);
        heap.Slot(0) = (nint)array;
        heap.Collect();
        Assert.Equal(24UL, GcHeap.LiveBytesAfterLastCollection);
    }

    [Fact]
    public void Scan_StructArrayNegativeSeries_FollowsRefsSkipsData()
    {
        using var heap = new TestHeap();
        // struct { object A; long X; long Y; object B; }: items {1 pointer, skip 16}, {1 pointer, skip 0}.
        var structs = FakeTypes.StructArray(32, (1, 16), (1, 0));
        const int length = 100;
        byte* array = TestHeap.NewArray(structs, length);
        for (int i = 0; i < length; i++)
        {
            nint* element = (nint*)(array + 16 + 32 * i);
            element[0] = (nint)TestHeap.New(s_leaf);
            element[1] = (nint)TestHeap.New(s_leaf);   // data: must not keep its target alive
            element[2] = (nint)TestHeap.New(s_leaf);   // data
            element[3] = (nint)TestHeap.New(s_node);
        }
        heap.Slot(0) = (nint)array;
        heap.Collect();
        ulong expected = (ulong)GcHeapAllocationTests.CellSize(24 + 32 * length) + length * (24UL + 32UL);
        Assert.Equal(expected, GcHeap.LiveBytesAfterLastCollection);
    }

    [Fact]
    public void Scan_StructArrayExactlyFillingItsCell_ReadsNothingPastTheObject()
    {
        using var heap = new TestHeap();
        // struct { object A; long X; } [1]: 24 + 16 = 40 bytes in a 48-byte cell. First put a 48-byte object
        // in that cell whose last field (cell+40, just past the array) points at a leaf, then free both.
        var wide = FakeTypes.Class(4, 0, 1, 2, 3);
        var structs = FakeTypes.StructArray(16, (1, 8));
        byte* old = TestHeap.New(wide);
        byte* victim = TestHeap.New(s_leaf);
        TestHeap.Field(old, 3) = (nint)victim;
        heap.Collect();
        Assert.Equal(0UL, GcHeap.UsedBytes);

        byte* array = TestHeap.NewArray(structs, 1);
        byte* reborn = TestHeap.New(s_leaf);
        Assert.True(array == old && reborn == victim, "the freed cells are reused in order");
        Assert.Equal((nint)victim, *(nint*)(array + 32)); // stale word just past the object, inside its cell
        heap.Slot(0) = (nint)array;
        heap.Collect();
        Assert.Equal(48UL, GcHeap.LiveBytesAfterLastCollection);
    }

    [Fact]
    public void Scan_StringLike_NoPointersFollowed()
    {
        using var heap = new TestHeap();
        var str = FakeTypes.StringLike();
        byte* s = TestHeap.NewArray(str, 64);
        byte* leaf = TestHeap.New(s_leaf);
        *(nint*)(s + 16) = (nint)leaf; // chars that look like a pointer
        heap.Slot(0) = (nint)s;
        heap.Collect();
        Assert.Equal((ulong)GcHeapAllocationTests.CellSize(22 + 128), GcHeap.LiveBytesAfterLastCollection);
    }

    [Fact]
    public void Conservative_InteriorPointer_KeepsObjectAlive()
    {
        using var heap = new TestHeap();
        byte* target = TestHeap.New(s_node), child = TestHeap.New(s_leaf);
        TestHeap.Field(target, 0) = (nint)child;
        TestHeap.New(s_node);
        ulong* stack = stackalloc ulong[4];
        stack[0] = 42;
        stack[1] = (ulong)(target + 20);  // points into the middle of the object
        stack[2] = 0;
        stack[3] = 0xDEADBEEF;
        heap.AddConservativeRange(stack, stack + 4);
        heap.Collect();
        Assert.Equal(32UL + 24UL, GcHeap.LiveBytesAfterLastCollection);
    }

    [Fact]
    public void Conservative_InteriorPointerIntoLargeObjectTail_KeepsItAlive()
    {
        using var heap = new TestHeap();
        var str = FakeTypes.StringLike();
        byte* large = TestHeap.NewArray(str, 100_000);   // 4 blocks
        ulong* stack = stackalloc ulong[1];
        stack[0] = (ulong)(large + 3 * GcHeap.BlockSize + 100);
        heap.AddConservativeRange(stack, stack + 1);
        heap.Collect();
        Assert.Equal(4 * GcHeap.BlockSize, GcHeap.UsedBytes);
    }

    [Fact]
    public void Conservative_NonPointerWords_KeepNothing()
    {
        using var heap = new TestHeap();
        byte* a = TestHeap.New(s_node);
        TestHeap.New(s_node);
        byte* freeCellInUsedBlock = a + 64 * 32;           // a cell never handed out
        ulong* stack = stackalloc ulong[6];
        stack[0] = 0x1234;
        stack[1] = (ulong)heap.RegionStart - 8;                     // just below the heap
        stack[2] = (ulong)heap.RegionStart + heap.RegionBytes;      // just past it
        stack[3] = (ulong)freeCellInUsedBlock;
        stack[4] = (ulong)heap.RegionStart + 5 * GcHeap.BlockSize;  // a free block
        stack[5] = ulong.MaxValue;
        heap.AddConservativeRange(stack, stack + 6);
        heap.Collect();
        Assert.Equal(0UL, GcHeap.LiveBytesAfterLastCollection);
    }

    [Fact]
    public void Conservative_UnalignedRangeStart_ScansAlignedWords()
    {
        using var heap = new TestHeap();
        byte* a = TestHeap.New(s_leaf);
        ulong* stack = stackalloc ulong[2];
        stack[0] = (ulong)a;
        stack[1] = 0;
        heap.AddConservativeRange((byte*)stack + 3, stack + 2);
        heap.Collect();
        Assert.Equal(24UL, GcHeap.LiveBytesAfterLastCollection);
    }

    [Fact]
    public void MarkStackOverflow_WideArrayOfChains_StillMarksEverything()
    {
        // The smallest mark stack Initialize accepts: 1024 entries.
        using var heap = new TestHeap(markStackBytes: 1024 * 8);
        const int width = 20_000, depth = 4;
        byte* array = TestHeap.NewArray(s_array, width);
        var survivors = new HashSet<long>();
        for (int i = 0; i < width; i++)
        {
            byte* chain = null;
            for (int d = 0; d < depth; d++)
            {
                byte* n = TestHeap.New(s_node);
                TestHeap.Field(n, 0) = (nint)chain;
                chain = n;
                survivors.Add((long)n);
            }
            TestHeap.Element(array, i) = (nint)chain;
            TestHeap.New(s_leaf); // garbage between them
        }
        heap.Slot(0) = (nint)array;
        heap.Collect();
        ulong arrayBytes = (24 + 8 * width + GcHeap.BlockSize - 1) / GcHeap.BlockSize * GcHeap.BlockSize;
        Assert.Equal(arrayBytes + (ulong)survivors.Count * 32, GcHeap.LiveBytesAfterLastCollection);
        for (int i = 0; i < 2 * width; i++) Assert.DoesNotContain((long)TestHeap.New(s_node), survivors);
    }

    [Fact]
    public void MarkStackOverflow_ManyRootsIntoWideTree_StillMarksEverything()
    {
        using var heap = new TestHeap(markStackBytes: 1024 * 8);
        // A 3-level tree of pointer arrays, 40 x 40 x leaves: every level overflows the stack.
        byte* root = TestHeap.NewArray(s_array, 40);
        ulong expected = (ulong)GcHeapAllocationTests.CellSize(24 + 320);
        for (int i = 0; i < 40; i++)
        {
            byte* mid = TestHeap.NewArray(s_array, 40);
            expected += (ulong)GcHeapAllocationTests.CellSize(24 + 320);
            TestHeap.Element(root, i) = (nint)mid;
            for (int j = 0; j < 40; j++)
            {
                byte* leaves = TestHeap.NewArray(s_array, 40);
                expected += (ulong)GcHeapAllocationTests.CellSize(24 + 320);
                TestHeap.Element(mid, j) = (nint)leaves;
                for (int k = 0; k < 40; k++)
                {
                    TestHeap.Element(leaves, k) = (nint)TestHeap.New(s_leaf);
                    expected += 24;
                }
            }
        }
        heap.Slot(0) = (nint)root;
        heap.Collect();
        Assert.Equal(expected, GcHeap.LiveBytesAfterLastCollection);
    }

    [Fact]
    public void Collect_LongLinkedList_MarksEveryNodeWithoutRecursion()
    {
        using var heap = new TestHeap(markStackBytes: 1024 * 8);
        byte* head = null;
        const int length = 300_000;
        for (int i = 0; i < length; i++)
        {
            byte* n = TestHeap.New(s_node);
            TestHeap.Field(n, 0) = (nint)head;
            head = n;
        }
        heap.Slot(0) = (nint)head;
        heap.Collect();
        Assert.Equal(length * 32UL, GcHeap.LiveBytesAfterLastCollection);
    }

    [Fact]
    public void Initialize_MetadataWithoutRoomForMarkStack_FailsFast()
    {
        var e = Assert.Throws<KernelPanicException>(() => new TestHeap(markStackBytes: 100 * 8));
        Assert.Contains("metadata too small", e.Reason);
    }
}
