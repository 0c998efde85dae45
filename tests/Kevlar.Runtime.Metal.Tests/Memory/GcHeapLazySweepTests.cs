// GcHeap's lazy sweep and per-collection mark bits: a collection frees nothing
// by itself, the allocators' sweep after it frees exactly what it did not mark,
// marks left from an older collection keep nothing alive, and dead blocks the
// sweep has not reached yet are found when a large object needs room.
using Internal.Runtime;
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Runtime.Metal.Tests.Support;
using Xunit;

namespace Kevlar.Runtime.Metal.Tests.Memory;

// Safety: builds and inspects objects inside a heap these tests initialise over their own buffer.
public unsafe class GcHeapLazySweepTests
{
    private static readonly MethodTable* s_node = FakeTypes.Class(2, 0, 1);
    private static readonly MethodTable* s_chars = FakeTypes.StringLike();

    [Fact]
    public void Collect_MarkedInAnOlderCollectionOnly_CellReused()
    {
        using var heap = new TestHeap();
        byte* a = TestHeap.New(s_node);
        heap.Slot(0) = (nint)a;
        heap.Collect();            // a marked in collection 1
        TestHeap.New(s_node);      // sweeps a's block after 1; a stays
        heap.Slot(0) = 0;
        heap.Collect();            // nothing in a's block marked in collection 2

        byte* again = TestHeap.New(s_node);

        Assert.True(again == a, "a's cell is free although its mark bit from collection 1 is still set");
        Assert.Equal(0UL, GcHeap.LiveBytesAfterLastCollection);
    }

    [Fact]
    public void Collect_BlockLeftUnsweptAcrossCollections_SweptWithTheLatestMarks()
    {
        using var heap = new TestHeap();
        byte* keep = TestHeap.New(s_node), drop = TestHeap.New(s_node), late = TestHeap.New(s_node);
        heap.Slot(0) = (nint)keep;
        heap.Slot(1) = (nint)drop;
        heap.Slot(2) = (nint)late;
        heap.Collect();            // all three marked; their block is never swept in between
        heap.Slot(1) = 0;
        heap.Collect();

        byte* next = TestHeap.New(s_node);

        Assert.True(next == drop, "the cell dropped before the second collection is the first free one");
        Assert.True(*(MethodTable**)keep == s_node && *(MethodTable**)late == s_node);
        Assert.Equal(64UL, GcHeap.LiveBytesAfterLastCollection);
        Assert.Equal(2, GcHeap.LiveObjectsAfterLastCollection);
    }

    [Fact]
    public void AllocateLarge_HeapFullOfUnsweptGarbage_SweepsAndSucceeds()
    {
        using var heap = new TestHeap(regionBytes: 4 << 20);
        // About 3.5 of 4 MiB in small garbage: the free blocks left cannot hold the large object.
        for (int i = 0; i < 3_500_000 / 32; i++) TestHeap.New(s_node);
        heap.Collect();
        Assert.Equal(0UL, GcHeap.UsedBytes);

        byte* big = TestHeap.NewArray(s_chars, 3 << 19); // 3 MiB of 2-byte components

        Assert.True(big != null);
        Assert.Equal(49UL * GcHeap.BlockSize, GcHeap.UsedBytes);
    }
}
