// GcHeap's concurrent cycle driven step by step on one host thread: the
// sweep before the mark, the start pause, marking slices between which the
// test plays a mutator (stores with or without the barrier's Shade), the
// finish pause, and what survives. A store the barrier misses is exactly what
// the finish pause's check (VerifyMarking) exists to catch.
using System;
using Internal.Runtime;
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Runtime.Metal.Tests.Support;
using Xunit;

namespace Kevlar.Runtime.Metal.Tests.Memory;

// Safety: reads and writes objects of a heap these tests initialise over their own buffer.
public unsafe class GcHeapConcurrentTests
{
    /// <summary>Node: two reference fields; 32 bytes, 32-byte cells.</summary>
    private static readonly MethodTable* s_node = FakeTypes.Class(2, 0, 1);
    private static ulong s_now;

    private static ulong Tick() => s_now += 1000;

    // A chain of n nodes linked through field 0; returns its head, and its last node in last.
    private static byte* Chain(int n, out byte* last)
    {
        byte* head = TestHeap.New(s_node);
        last = head;
        for (int i = 1; i < n; i++)
        {
            byte* next = TestHeap.New(s_node);
            TestHeap.Field(last, 0) = (nint)next;
            last = next;
        }
        return head;
    }

    // Starts a cycle on CPU 0 and runs its sweep until it asks for the start pause; then the pause.
    private static void Start(TestHeap heap)
    {
        GcHeap.Concurrent = true;
        int requests = TestHeap.Requests;
        Assert.True(GcHeap.StartCycle(0));
        for (int i = 0; i < 100_000 && TestHeap.Requests == requests; i++) GcHeap.Background(0);
        Assert.Equal(requests + 1, TestHeap.Requests);
        Assert.Equal(GcHeap.PhaseReady, GcHeap.Phase);
        heap.Collect();
        Assert.Equal(GcHeap.PhaseMarking, GcHeap.Phase);
    }

    // Runs marking slices until the marker asks for the finish pause.
    private static void MarkToEnd()
    {
        int requests = TestHeap.Requests;
        for (int i = 0; i < 100_000 && TestHeap.Requests == requests; i++) GcHeap.Background(0);
        Assert.Equal(requests + 1, TestHeap.Requests);
        Assert.False(GcHeap.HasBackgroundWork(0));
    }

    [Fact]
    public void StartCycle_OtherCpu_OnlyThatCpuWorksAndSweepsBeforeAskingForTheStart()
    {
        using var heap = new TestHeap();
        for (int i = 0; i < 10_000; i++) TestHeap.New(s_node);
        heap.Collect(); // everything dead, left for the lazy sweep
        Assert.True(GcHeap.StartCycle(2));
        Assert.False(GcHeap.StartCycle(1)); // one cycle at a time
        Assert.False(GcHeap.HasBackgroundWork(0));
        Assert.True(GcHeap.HasBackgroundWork(2));
        GcHeap.Background(0);
        Assert.Equal(GcHeap.PhaseSweeping, GcHeap.Phase);
        while (GcHeap.Phase == GcHeap.PhaseSweeping) GcHeap.Background(2);
        Assert.Equal(GcHeap.PhaseReady, GcHeap.Phase);
        Assert.Equal(1, TestHeap.Requests);
        Assert.Equal(0UL, GcHeap.UsedBytes); // the sweep freed every dead block
    }

    // A mark one slice in: slot 1's object is popped and scanned first (the mark stack is LIFO), so it
    // is black; slot 0's chain is longer than a slice, so its last node is still white.
    private static void OneSliceIn(TestHeap heap, out byte* scanned, out byte* beforeLast, out byte* last)
    {
        GcHeap.VerifyMarking = true;
        byte* chain = Chain(3000, out last);
        beforeLast = chain;
        while (TestHeap.Field(beforeLast, 0) != (nint)last) beforeLast = (byte*)TestHeap.Field(beforeLast, 0);
        scanned = TestHeap.New(s_node);
        heap.Slot(0) = (nint)chain;
        heap.Slot(1) = (nint)scanned;
        Start(heap);
        GcHeap.Background(0);
    }

    [Fact]
    public void Concurrent_StoreIntoScannedObjectThroughBarrier_KeepsTarget()
    {
        using var heap = new TestHeap();
        OneSliceIn(heap, out byte* scanned, out byte* beforeLast, out byte* last);

        TestHeap.Field(scanned, 1) = (nint)last;   // the store into a black object ...
        GcHeap.Shade((nint)last);                  // ... and its barrier
        TestHeap.Field(beforeLast, 0) = 0;         // the old path goes
        MarkToEnd();
        heap.Collect();

        Assert.Equal(GcHeap.PhaseIdle, GcHeap.Phase);
        Assert.Equal(1, GcHeap.Collections);
        Assert.Equal(3001L, GcHeap.LiveObjectsAfterLastCollection);
        Assert.Equal(0UL, GcHeap.AllocatedDuringLastMarkBytes);
        Assert.True(*(MethodTable**)last == s_node);
    }

    [Fact]
    public void Concurrent_StoreIntoScannedObjectWithoutBarrier_FinishCheckPanics()
    {
        using var heap = new TestHeap();
        OneSliceIn(heap, out byte* scanned, out byte* beforeLast, out byte* last);

        TestHeap.Field(scanned, 1) = (nint)last;   // no Shade: the barrier is missed
        TestHeap.Field(beforeLast, 0) = 0;
        MarkToEnd();

        var e = Assert.Throws<KernelPanicException>(() => heap.Collect());
        Assert.Contains("marked set is not closed", e.Message);
    }

    [Fact]
    public void Concurrent_AllocatedDuringMark_SurvivesItAndGoesAtTheNext()
    {
        using var heap = new TestHeap();
        GcHeap.VerifyMarking = true;
        heap.Slot(0) = (nint)Chain(10, out _);
        Start(heap);
        byte* kept = TestHeap.New(s_node);          // allocated black, then reachable
        TestHeap.Field(kept, 0) = (nint)Chain(5, out _);
        GcHeap.Shade(TestHeap.Field(kept, 0));
        heap.Slot(1) = (nint)kept;
        for (int i = 0; i < 1000; i++) TestHeap.New(s_node); // black garbage
        MarkToEnd();
        heap.Collect();
        Assert.Equal(10L, GcHeap.LiveObjectsAfterLastCollection);      // traced
        Assert.Equal(1006UL * 32, GcHeap.AllocatedDuringLastMarkBytes); // kept untraced

        heap.Collect(); // stop-the-world now: the garbage allocated black goes
        Assert.Equal(16L, GcHeap.LiveObjectsAfterLastCollection);
        Assert.True(*(MethodTable**)kept == s_node);
    }

    [Fact]
    public void Concurrent_DroppedDuringMark_FreedByTheNextCollection()
    {
        using var heap = new TestHeap();
        byte* chain = Chain(100, out _);
        heap.Slot(0) = (nint)chain;
        Start(heap);
        heap.Slot(0) = 0; // unreachable now, but it was reachable at the start
        MarkToEnd();
        heap.Collect();
        Assert.Equal(100L, GcHeap.LiveObjectsAfterLastCollection);
        heap.Collect();
        Assert.Equal(0L, GcHeap.LiveObjectsAfterLastCollection);
    }

    [Fact]
    public void Concurrent_TwoPauses_RecordedInOneRecord()
    {
        using var heap = new TestHeap();
        GcHeap.NowNanoseconds = &Tick;
        try
        {
            heap.Slot(0) = (nint)Chain(100, out _);
            Start(heap);
            MarkToEnd();
            heap.Collect();
        }
        finally { GcHeap.NowNanoseconds = null; }

        var pauses = new GcPause[2];
        Assert.Equal(1, GcHeap.CopyPauses(pauses));
        GcPause p = pauses[0];
        Assert.Equal(1, p.Number);
        Assert.True(p.StartPauseNs > 0 && p.ConcurrentNs > 0);
        Assert.True(p.PauseNs >= p.StartPauseNs && p.PauseNs >= p.MarkNs + p.SweepNs);
        Assert.Equal(100L, p.LiveObjects);
    }

    [Fact]
    public void ShadeRange_DuringMark_GreysHeapWordsOnly()
    {
        using var heap = new TestHeap();
        GcHeap.VerifyMarking = true;
        heap.Slot(0) = (nint)TestHeap.New(s_node);
        byte* hidden = Chain(3, out _);
        Start(heap);
        MarkToEnd();
        // A copy of memory holding a reference (and a word that is none) into the marked object.
        nint* copied = stackalloc nint[2] { 12345, (nint)hidden };
        byte* holder = (byte*)heap.Slot(0);
        TestHeap.Field(holder, 0) = copied[0];
        TestHeap.Field(holder, 1) = copied[1];
        GcHeap.ShadeRange(holder + 8, 16);
        heap.Collect();
        Assert.Equal(4L, GcHeap.LiveObjectsAfterLastCollection);
    }

    [Fact]
    public void Concurrent_HeapRunningShortWhileMarking_AsksForTheFinishAtOnce()
    {
        using var heap = new TestHeap(regionBytes: 4 << 20);
        heap.Slot(0) = (nint)Chain(10, out _);
        Start(heap);
        int requests = TestHeap.Requests;
        // Fresh blocks only while marking: seven eighths of 64 blocks are in use after about 56 of them.
        for (int i = 0; i < 60 * 2048 && TestHeap.Requests == requests; i++) TestHeap.New(s_node);
        Assert.Equal(requests + 1, TestHeap.Requests);
        heap.Collect();
        Assert.Equal(GcHeap.PhaseIdle, GcHeap.Phase);
        Assert.Equal(1, GcHeap.Collections);
    }

    [Fact]
    public void Collect_WhileSweepingForACycle_StopsTheWorldAndEndsTheCycle()
    {
        using var heap = new TestHeap();
        heap.Slot(0) = (nint)Chain(10, out _);
        Assert.True(GcHeap.StartCycle(0));
        heap.Collect();
        Assert.Equal(GcHeap.PhaseIdle, GcHeap.Phase);
        Assert.False(GcHeap.HasBackgroundWork(0));
        Assert.Equal(10L, GcHeap.LiveObjectsAfterLastCollection);
    }
}
