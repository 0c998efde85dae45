// MemoryMapTests: the region bookkeeping above the page tables — sorted
// regions, free-range search from the top down, munmap splitting a region and
// unmapping exactly its pages, mprotect across regions, and Touch, the page
// fault path: demand zero, the rights check, copy-on-write.
using Kevlar.Process.Memory;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.UserMode;
using Xunit;

namespace Kevlar.Process.Tests.Memory;

public class MemoryMapTests
{
    private const ulong A = 0x40_0000, P = MemoryMap.PageSize;
    private const PageProtection R = PageProtection.Read, RW = PageProtection.Read | PageProtection.Write,
        RX = PageProtection.Read | PageProtection.Execute;

    private readonly FakePageTables _pages = new(new FramePool());
    private readonly MemoryMap _map;

    public MemoryMapTests()
    {
        _map = new MemoryMap(_pages);
    }

    private MemoryRegion Add(ulong start, ulong end, PageProtection protection = RW, string? name = null)
    {
        var r = new MemoryRegion(start, end, protection, RegionKind.Anonymous, name);
        _map.Add(r);
        return r;
    }

    private (ulong, ulong)[] Ranges() => Enumerable.Range(0, _map.Count).Select(i => (_map[i].Start, _map[i].End)).ToArray();

    private void TouchAll(ulong start, ulong end)
    {
        for (ulong p = start; p < end; p += P) Assert.True(_map.Touch(p, false, false));
    }

    [Fact]
    public void Add_OutOfOrder_KeepsRegionsSortedByStart()
    {
        Add(A + 8 * P, A + 9 * P);
        Add(A, A + P);
        Add(A + 4 * P, A + 6 * P);

        Assert.Equal(new[] { (A, A + P), (A + 4 * P, A + 6 * P), (A + 8 * P, A + 9 * P) }, Ranges());
    }

    [Fact]
    public void Find_StartLastByteEndAndGap_OnlyInsideMatches()
    {
        MemoryRegion low = Add(A, A + 2 * P);
        MemoryRegion high = Add(A + 4 * P, A + 5 * P);

        Assert.Same(low, _map.Find(A));
        Assert.Same(low, _map.Find(A + 2 * P - 1));
        Assert.Null(_map.Find(A + 2 * P));
        Assert.Null(_map.Find(A + 3 * P));
        Assert.Same(high, _map.Find(A + 4 * P + 123));
        Assert.Null(_map.Find(A + 5 * P));
        Assert.Null(_map.Find(A - 1));
    }

    [Fact]
    public void IsFree_OverlapAdjacencyAndBounds_AnswersAsRangesDo()
    {
        Add(A + 2 * P, A + 4 * P);

        Assert.True(_map.IsFree(A, A + 2 * P));          // ends where the region starts
        Assert.True(_map.IsFree(A + 4 * P, A + 6 * P));  // starts where it ends
        Assert.False(_map.IsFree(A + P, A + 3 * P));
        Assert.False(_map.IsFree(A + 3 * P, A + 5 * P));
        Assert.False(_map.IsFree(A, A + 8 * P));         // covers it
        Assert.False(_map.IsFree(A, A));                 // empty
        Assert.False(_map.IsFree(FakePageTables.Lowest - P, FakePageTables.Lowest + P));
        Assert.False(_map.IsFree(FakePageTables.End - P, FakePageTables.End + P));
        Assert.True(_map.IsFree(FakePageTables.End - P, FakePageTables.End));
    }

    [Fact]
    public void FindFree_EmptyMap_TakesTheTopOfTheRange()
    {
        Assert.Equal(MemoryMap.MmapTop - 3 * P, _map.FindFree(3 * P, MemoryMap.MmapTop));
    }

    [Fact]
    public void FindFree_TopTaken_TakesTheHighestGapThatFits()
    {
        const ulong T = MemoryMap.MmapTop;
        Add(T - 2 * P, T);                 // the top two pages
        Add(T - 5 * P, T - 4 * P);         // a two-page gap between: [T-4P, T-2P)

        Assert.Equal(T - 4 * P, _map.FindFree(2 * P, T));
        Assert.Equal(T - 3 * P, _map.FindFree(P, T));
        Assert.Equal(T - 8 * P, _map.FindFree(3 * P, T)); // too big for the gap: below the lower region
    }

    [Fact]
    public void FindFree_RegionStraddlesTheLimit_PlacesBelowIt()
    {
        const ulong T = MemoryMap.MmapTop;
        Add(T - P, T + P);
        Add(T + 4 * P, T + 8 * P); // above the limit: ignored

        Assert.Equal(T - 3 * P, _map.FindFree(2 * P, T));
    }

    [Fact]
    public void FindFree_NoGapLargeEnough_ReturnsZero()
    {
        ulong low = FakePageTables.Lowest;
        Add(low + 2 * P, low + 3 * P);

        Assert.Equal(0UL, _map.FindFree(3 * P, low + 4 * P));
        Assert.Equal(low, _map.FindFree(2 * P, low + 4 * P));
    }

    [Fact]
    public void Remove_MiddleOfRegion_SplitsItAndUnmapsOnlyThatRange()
    {
        Add(A, A + 5 * P, RW, "[heap]");
        TouchAll(A, A + 5 * P);

        _map.Remove(A + P, A + 3 * P);

        Assert.Equal(new[] { (A, A + P), (A + 3 * P, A + 5 * P) }, Ranges());
        Assert.All(new[] { 0, 1 }, i => Assert.Equal((RW, "[heap]"), (_map[i].Protection, _map[i].Name)));
        Assert.Equal(PageState.Writable, _pages.Query(A));
        Assert.Equal(PageState.NotMapped, _pages.Query(A + P));
        Assert.Equal(PageState.NotMapped, _pages.Query(A + 2 * P));
        Assert.Equal(PageState.Writable, _pages.Query(A + 3 * P));
        Assert.Equal(PageState.Writable, _pages.Query(A + 4 * P));
        Assert.Equal(3, _pages.Pool.LiveFrames);
    }

    [Fact]
    public void Remove_AcrossSeveralRegionsAndGaps_TrimsTheEdgesAndDropsTheRest()
    {
        Add(A, A + 3 * P);
        Add(A + 4 * P, A + 5 * P);
        Add(A + 6 * P, A + 9 * P);

        _map.Remove(A + 2 * P, A + 7 * P);

        Assert.Equal(new[] { (A, A + 2 * P), (A + 7 * P, A + 9 * P) }, Ranges());
    }

    [Fact]
    public void Remove_NothingMapped_ChangesNothing()
    {
        Add(A, A + P);

        _map.Remove(A + 4 * P, A + 8 * P);

        Assert.Equal(new[] { (A, A + P) }, Ranges());
    }

    [Fact]
    public void Protect_AcrossAdjacentRegions_SplitsAtTheEdgesAndChangesMappedPages()
    {
        Add(A, A + 3 * P);
        Add(A + 3 * P, A + 6 * P, RX);
        TouchAll(A, A + 6 * P);

        Assert.Equal(0, _map.Protect(A + P, A + 5 * P, R));

        Assert.Equal(new[] { (A, A + P), (A + P, A + 3 * P), (A + 3 * P, A + 5 * P), (A + 5 * P, A + 6 * P) }, Ranges());
        Assert.Equal(new[] { RW, R, R, RX }, Enumerable.Range(0, 4).Select(i => _map[i].Protection));
        Assert.Equal(PageState.Writable, _pages.Query(A));
        for (ulong p = A + P; p < A + 5 * P; p += P) Assert.Equal(R, _pages.ProtectionOf(p));
        Assert.Equal(RX, _pages.ProtectionOf(A + 5 * P));
    }

    [Fact]
    public void Protect_RangeWithAHole_ReturnsEnomemAndChangesNothing()
    {
        Add(A, A + 2 * P);
        Add(A + 3 * P, A + 4 * P);
        TouchAll(A, A + 2 * P);

        Assert.Equal(-Errno.ENOMEM, _map.Protect(A, A + 4 * P, R));

        Assert.Equal(new[] { (A, A + 2 * P), (A + 3 * P, A + 4 * P) }, Ranges());
        Assert.Equal(RW, _map[0].Protection);
        Assert.Equal(PageState.Writable, _pages.Query(A + P));
    }

    [Fact]
    public void Touch_FirstAccess_MapsAZeroPageWithTheRegionsRights()
    {
        Add(A, A + 2 * P);

        Assert.True(_map.Touch(A + P + 17, true, false));

        Assert.Equal(PageState.Writable, _pages.Query(A + P));
        Assert.Equal(PageState.NotMapped, _pages.Query(A));
        Assert.Equal(new byte[P], _pages.FrameOf(A + P)!.Data);
    }

    [Fact]
    public void Touch_OutsideEveryRegion_FailsAndMapsNothing()
    {
        Add(A, A + P);

        Assert.False(_map.Touch(A + P, false, false));
        Assert.False(_map.Touch(A - 1, true, false));
        Assert.Equal(0, _pages.MappedCount);
    }

    [Fact]
    public void Touch_AccessTheRightsForbid_Fails()
    {
        Add(A, A + P, PageProtection.None);
        Add(A + P, A + 2 * P, R);
        Add(A + 2 * P, A + 3 * P, RW);
        Add(A + 3 * P, A + 4 * P, RX);

        Assert.False(_map.Touch(A, false, false));         // read of PROT_NONE
        Assert.False(_map.Touch(A + P, true, false));      // write of read-only
        Assert.False(_map.Touch(A + 2 * P, false, true));  // execute of non-executable
        Assert.True(_map.Touch(A + P, false, false));
        Assert.True(_map.Touch(A + 3 * P, false, true));
        Assert.Equal(PageState.NotMapped, _pages.Query(A));
    }

    [Fact]
    public void Touch_WriteOfMappedReadOnlyPage_Fails()
    {
        Add(A, A + P, R);
        Assert.True(_map.Touch(A, false, false));

        Assert.False(_map.Touch(A, true, false));
        Assert.Equal(PageState.ReadOnly, _pages.Query(A));
    }

    [Fact]
    public void Touch_ReadOfWriteOnlyRegion_Succeeds()
    {
        Add(A, A + P, PageProtection.Write);

        Assert.True(_map.Touch(A, false, false));
    }

    [Fact]
    public void Touch_WriteToCopyOnWritePage_CopiesTheFrameAndLeavesTheOtherSpaceAlone()
    {
        Add(A, A + P);
        Assert.True(_map.Touch(A, true, false));
        _pages.Write(A, new byte[] { 1, 2, 3 });
        var clone = (FakePageTables)_pages.CloneCopyOnWrite()!;
        MemoryMap cloneMap = _map.CloneOnto(clone);
        Frame shared = _pages.FrameOf(A)!;
        Assert.Same(shared, clone.FrameOf(A));
        Assert.Equal(PageState.CopyOnWrite, _pages.Query(A));
        Assert.Equal(PageState.CopyOnWrite, clone.Query(A));

        Assert.True(_map.Touch(A, true, false));

        Assert.Equal(PageState.Writable, _pages.Query(A));
        Assert.NotSame(shared, _pages.FrameOf(A));
        Assert.Equal(new byte[] { 1, 2, 3 }, _pages.FrameOf(A)!.Data.Take(3));
        Assert.Same(shared, clone.FrameOf(A));
        Assert.Equal(1, shared.References);
        // The clone is the frame's last holder now: its write takes the frame without a copy.
        Assert.True(cloneMap.Touch(A, true, false));
        Assert.Same(shared, clone.FrameOf(A));
        Assert.Equal(2, _pages.Pool.LiveFrames);
    }

    [Fact]
    public void Touch_ReadOfCopyOnWritePage_KeepsTheShare()
    {
        Add(A, A + P);
        Assert.True(_map.Touch(A, true, false));
        IPageTables clone = _pages.CloneCopyOnWrite()!;

        Assert.True(_map.Touch(A, false, false));

        Assert.Equal(PageState.CopyOnWrite, _pages.Query(A));
        Assert.Same(_pages.FrameOf(A), ((FakePageTables)clone).FrameOf(A));
    }

    [Fact]
    public void Touch_CopyOnWriteBreakOutOfMemory_Fails()
    {
        Add(A, A + P);
        Assert.True(_map.Touch(A, true, false));
        _pages.CloneCopyOnWrite();
        _pages.Pool.FramesLeft = 0;

        Assert.False(_map.Touch(A, true, false));
        Assert.Equal(PageState.CopyOnWrite, _pages.Query(A));
    }

    [Fact]
    public void Clear_AfterTouches_UnmapsEveryPageAndForgetsEveryRegion()
    {
        Add(A, A + 2 * P);
        Add(A + 4 * P, A + 5 * P);
        TouchAll(A, A + 2 * P);
        TouchAll(A + 4 * P, A + 5 * P);

        _map.Clear();

        Assert.Equal(0, _map.Count);
        Assert.Equal(0, _pages.MappedCount);
        Assert.Equal(0, _pages.Pool.LiveFrames);
    }

    [Fact]
    public void PageUp_NearTheTop_ReturnsZeroInsteadOfWrapping()
    {
        Assert.Equal(0UL, MemoryMap.PageUp(ulong.MaxValue - 5));
        Assert.Equal(0x2000UL, MemoryMap.PageUp(0x1001));
        Assert.Equal(0x1000UL, MemoryMap.PageUp(0x1000));
    }
}
