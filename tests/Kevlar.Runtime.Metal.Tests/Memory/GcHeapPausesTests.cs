// GcHeap's pause ring: each collection leaves one record with its number, its
// live bytes and objects, phase times that fit inside the pause, and the time
// since the first request; the ring keeps the most recent PauseRingSize.
using Internal.Runtime;
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Runtime.Metal.Tests.Support;
using Xunit;

namespace Kevlar.Runtime.Metal.Tests.Memory;

// Safety: reads the pause ring and objects of a heap these tests initialise over their own buffer.
public unsafe class GcHeapPausesTests
{
    private static readonly MethodTable* s_node = FakeTypes.Class(2, 0, 1);
    private static ulong s_now;

    // A clock that moves 1 us each time it is read.
    private static ulong Tick() => s_now += 1000;

    [Fact]
    public void Collect_ThreeTimes_RecordsEachWithLiveFigures()
    {
        using var heap = new TestHeap();
        byte* a = TestHeap.New(s_node), b = TestHeap.New(s_node);
        TestHeap.Field(a, 0) = (nint)b;
        heap.Slot(0) = (nint)a;
        for (int i = 0; i < 3; i++) heap.Collect();

        var pauses = new GcPause[8];
        int n = GcHeap.CopyPauses(pauses);

        Assert.Equal(3, n);
        Assert.Equal(new long[] { 1, 2, 3 }, new[] { pauses[0].Number, pauses[1].Number, pauses[2].Number });
        Assert.Equal(2, pauses[2].LiveObjects);
        Assert.Equal(64UL, pauses[2].LiveBytes);
    }

    [Fact]
    public void Collect_WithClockAndRequest_PhasesInsidePauseAndSafepointTimed()
    {
        using var heap = new TestHeap();
        GcHeap.NowNanoseconds = &Tick;
        try
        {
            GcHeap.NoteRequested();
            GcHeap.NoteRequested(); // a later request keeps the first stamp
            heap.Collect();
        }
        finally { GcHeap.NowNanoseconds = null; }

        var pauses = new GcPause[1];
        GcHeap.CopyPauses(pauses);
        GcPause p = pauses[0];

        Assert.Equal(2000UL, p.SafepointNs); // stamped at tick 1, collection started at tick 3
        Assert.True(p.ClearNs + p.RootsNs + p.MarkNs + p.SweepNs <= p.PauseNs);
        Assert.True(p.PauseNs > 0);
    }

    [Fact]
    public void CopyPauses_MoreCollectionsThanTheRing_KeepsTheMostRecent()
    {
        using var heap = new TestHeap();
        for (int i = 0; i < GcHeap.PauseRingSize + 5; i++) heap.Collect();

        var pauses = new GcPause[GcHeap.PauseRingSize + 10];
        int n = GcHeap.CopyPauses(pauses);

        Assert.Equal(GcHeap.PauseRingSize, n);
        Assert.Equal(6, pauses[0].Number);
        Assert.Equal(GcHeap.PauseRingSize + 5, pauses[n - 1].Number);
    }
}
