// GcHeap allocation: zeroed objects 8 bytes into cells of their size class,
// per-CPU blocks, large objects as runs of blocks, the collection trigger and
// running out of memory.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Internal.Runtime;
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Runtime.Metal.Tests.Support;
using Xunit;

namespace Kevlar.Runtime.Metal.Tests.Memory;

public unsafe class GcHeapAllocationTests
{
    /// <summary>The size classes the heap documents (GcHeap.CellSizeOf).</summary>
    public static readonly int[] CellSizes = [24, 32, 48, 64, 80, 96, 128, 160, 192, 256, 320, 384, 512, 768, 1024, 1536, 2048, 3072, 4096, 6144, 8192];

    public static int CellSize(ulong bytes) => CellSizes.First(c => (ulong)c >= Math.Max(24UL, (bytes + 7) & ~7UL));

    private static long Offset(TestHeap heap, byte* obj) => obj - heap.RegionStart;

    /// <summary>Where the object's cell starts inside its 64 KiB block.</summary>
    private static long CellOffsetInBlock(TestHeap heap, byte* obj) => (Offset(heap, obj) - 8) % (long)GcHeap.BlockSize;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(9)]
    [InlineData(100)]
    [InlineData(1000)]
    public void Allocate_SmallClass_ZeroedAndEightBytesIntoCell(int words)
    {
        using var heap = new TestHeap();
        var mt = FakeTypes.Class(words);
        int cell = CellSize(mt->BaseSize);
        for (int n = 0; n < 50; n++)
        {
            byte* obj = TestHeap.New(mt);
            Assert.True(*(MethodTable**)obj == mt);
            Assert.Equal(0, CellOffsetInBlock(heap, obj) % cell);
            Assert.Equal(0UL, *(ulong*)(obj - 8));
            for (int f = 0; f < words; f++) Assert.Equal(0, TestHeap.Field(obj, f));
        }
    }

    [Fact]
    public void Allocate_SameClassTwice_AdjacentCells()
    {
        using var heap = new TestHeap();
        var mt = FakeTypes.Class(3); // 40 bytes -> 48-byte cells
        byte* a = TestHeap.New(mt), b = TestHeap.New(mt);
        Assert.Equal(48, b - a);
    }

    [Fact]
    public void Allocate_StringLike_SizedFromComponentsAndLength()
    {
        using var heap = new TestHeap();
        var mt = FakeTypes.StringLike();
        byte* s = TestHeap.NewArray(mt, 5);
        Assert.Equal((ulong)((22 + 2 * 5 + 7) & ~7), GcHeap.ObjectSize(s));
        byte* t = TestHeap.NewArray(mt, 0);
        Assert.Equal(24UL, GcHeap.ObjectSize(t));
        Assert.Equal(0, CellOffsetInBlock(heap, t) % 24);
    }

    [Fact]
    public void Allocate_DifferentCpus_UseDifferentBlocks()
    {
        using var heap = new TestHeap();
        var mt = FakeTypes.Class(2);
        TestHeap.Cpu = 0;
        byte* a = TestHeap.New(mt);
        TestHeap.Cpu = 1;
        byte* b = TestHeap.New(mt);
        TestHeap.Cpu = 0;
        byte* c = TestHeap.New(mt);
        Assert.NotEqual(Offset(heap, a) >> GcHeap.BlockShift, Offset(heap, b) >> GcHeap.BlockShift);
        Assert.Equal(Offset(heap, a) >> GcHeap.BlockShift, Offset(heap, c) >> GcHeap.BlockShift);
        Assert.Equal(2 * GcHeap.BlockSize, GcHeap.UsedBytes);
    }

    [Fact]
    public void Allocate_BlockExhausted_TakesAnotherBlock()
    {
        using var heap = new TestHeap();
        var mt = FakeTypes.Class(1); // 24-byte cells: 2730 per block
        int perBlock = (int)(GcHeap.BlockSize / 24);
        var seen = new HashSet<long>();
        for (int i = 0; i < perBlock + 1; i++) Assert.True(seen.Add(Offset(heap, TestHeap.New(mt))));
        Assert.Equal(2 * GcHeap.BlockSize, GcHeap.UsedBytes);
    }

    [Theory]
    [InlineData(8193)]
    [InlineData(65536)]
    [InlineData(100_000)]
    [InlineData(1 << 20)]
    public void Allocate_Large_RunOfBlocksZeroed(int bytes)
    {
        using var heap = new TestHeap();
        var mt = FakeTypes.StringLike();
        int length = (bytes - 22) / 2 + 1;
        byte* obj = TestHeap.NewArray(mt, length);
        ulong size = GcHeap.ObjectSize(obj);
        ulong blocks = (size + GcHeap.BlockSize - 1) / GcHeap.BlockSize;
        Assert.Equal(8, Offset(heap, obj) % (long)GcHeap.BlockSize);
        Assert.Equal(blocks * GcHeap.BlockSize, GcHeap.UsedBytes);
        for (ulong i = 12; i < size - 8; i++) Assert.Equal(0, obj[i]);
    }

    [Fact]
    public void Allocate_LargeUnreachable_BlocksFreedByCollection()
    {
        using var heap = new TestHeap();
        var bytes = FakeTypes.StringLike();
        byte* kept = TestHeap.NewArray(bytes, 200_000);     // 400 KB: 7 blocks
        TestHeap.NewArray(bytes, 100_000);                  // 200 KB: 4 blocks, dropped
        heap.Slot(0) = (nint)kept;
        Assert.Equal(11 * GcHeap.BlockSize, GcHeap.UsedBytes);
        heap.Collect();
        Assert.Equal(7 * GcHeap.BlockSize, GcHeap.UsedBytes);
        heap.Slot(0) = 0;
        heap.Collect();
        Assert.Equal(0UL, GcHeap.UsedBytes);
    }

    [Fact]
    public void Allocate_LargeAfterFree_ReusesTheFreedRun()
    {
        using var heap = new TestHeap(regionBytes: 8 * GcHeap.BlockSize);
        var bytes = FakeTypes.StringLike();
        for (int round = 0; round < 20; round++)
        {
            TestHeap.NewArray(bytes, 200_000); // 7 of the 8 blocks
            heap.Collect();
        }
        Assert.Equal(0UL, GcHeap.UsedBytes);
    }

    [Fact]
    public void Allocate_RegionFull_FailsFastWithOutOfMemory()
    {
        using var heap = new TestHeap(regionBytes: 4 * GcHeap.BlockSize);
        var bytes = FakeTypes.StringLike();
        var e = Assert.Throws<KernelPanicException>(() => { TestHeap.NewArray(bytes, 200_000); });
        Assert.Contains("out of memory", e.Reason);
        var small = FakeTypes.Class(1);
        var e2 = Assert.Throws<KernelPanicException>(() => { for (int i = 0; i < 5 * 2731; i++) TestHeap.New(small); });
        Assert.Contains("out of memory", e2.Reason);
    }

    [Fact]
    public void Allocate_PastTrigger_RequestsOneCollectionPerCycle()
    {
        using var heap = new TestHeap(trigger: 4 * (long)GcHeap.BlockSize);
        var mt = FakeTypes.Class(6);
        for (int i = 0; i < 20_000; i++) TestHeap.New(mt);   // ~1.2 MB of 64-byte cells
        Assert.Equal(1, TestHeap.Requests);
        heap.Collect();
        for (int i = 0; i < 20_000; i++) TestHeap.New(mt);
        Assert.Equal(2, TestHeap.Requests);
    }

    [Fact]
    public void Allocate_FourThreadsAsFourCpus_ObjectsNeverOverlap()
    {
        using var heap = new TestHeap(regionBytes: 64 << 20);
        var mt = FakeTypes.Class(4);
        const int perThread = 50_000;
        var results = new long[4][];
        var threads = Enumerable.Range(0, 4).Select(cpu => new Thread(() =>
        {
            TestHeap.Cpu = cpu;
            var mine = new long[perThread];
            for (int i = 0; i < perThread; i++)
            {
                byte* obj = TestHeap.New(mt);
                TestHeap.Field(obj, 0) = cpu + 1;
                mine[i] = (long)obj;
            }
            results[cpu] = mine;
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        for (int cpu = 0; cpu < 4; cpu++)
            foreach (long obj in results[cpu]) Assert.Equal(cpu + 1, TestHeap.Field((byte*)obj, 0));
        var blocksPerCpu = results.Select(r => r.Select(o => (o - (long)heap.RegionStart) >> GcHeap.BlockShift).ToHashSet()).ToList();
        for (int a = 0; a < 4; a++)
            for (int b = a + 1; b < 4; b++) Assert.Empty(blocksPerCpu[a].Intersect(blocksPerCpu[b]));
    }
}
