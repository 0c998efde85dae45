// FakePageTablesTests: the host twin keeps IPageTables' contract (and the
// metal tables' behaviour) — only aligned user pages map, once; copies stop
// at the first unmapped page; fork shares frames copy-on-write; frames are
// freed when the last space lets go of them.
using Kevlar.Runtime.UserMode;
using Xunit;

namespace Kevlar.Process.Tests.Support;

public class FakePageTablesTests
{
    private const ulong A = 0x40_0000, P = 4096;
    private const PageProtection RW = PageProtection.Read | PageProtection.Write;
    private readonly FramePool _pool = new();
    private readonly FakePageTables _pages;

    public FakePageTablesTests()
    {
        _pages = new FakePageTables(_pool);
    }

    [Fact]
    public void MapZeroed_OnlyAlignedUnmappedUserPages_Map()
    {
        Assert.True(_pages.MapZeroed(A, RW));

        Assert.False(_pages.MapZeroed(A, RW));
        Assert.False(_pages.MapZeroed(A + 1, RW));
        Assert.False(_pages.MapZeroed(FakePageTables.Lowest - P, RW));
        Assert.False(_pages.MapZeroed(FakePageTables.End, RW));
        Assert.Equal(1, _pool.LiveFrames);
    }

    [Fact]
    public void MapZeroed_PoolExhausted_Fails()
    {
        _pool.FramesLeft = 1;

        Assert.True(_pages.MapZeroed(A, RW));
        Assert.False(_pages.MapZeroed(A + P, RW));
    }

    [Fact]
    public void ReadWrite_AcrossPages_StopAtTheFirstUnmappedPage()
    {
        _pages.MapZeroed(A, PageProtection.Read);
        _pages.MapZeroed(A + P, PageProtection.Read);

        Assert.Equal(3 * (int)P / 2, _pages.Write(A + P / 2, new byte[2 * P])); // rights are ignored
        Assert.Equal(8, _pages.Read(A + 2 * P - 8, new byte[16]));
        Assert.Equal(0, _pages.Read(A + 2 * P, new byte[16]));
    }

    [Fact]
    public void Query_ReportsRightsAndCopyOnWrite()
    {
        _pages.MapZeroed(A, RW);
        _pages.MapZeroed(A + P, PageProtection.Read);

        Assert.Equal((PageState.Writable, PageState.ReadOnly, PageState.NotMapped), (_pages.Query(A), _pages.Query(A + P), _pages.Query(A + 2 * P)));
        _pages.CloneCopyOnWrite();
        // Every private page is copy-on-write after a fork, read-only ones too (a later mprotect may make them writable).
        Assert.Equal((PageState.CopyOnWrite, PageState.CopyOnWrite), (_pages.Query(A), _pages.Query(A + P)));
    }

    [Fact]
    public void BreakCopyOnWrite_NotCopyOnWrite_ReturnsFalse()
    {
        _pages.MapZeroed(A, RW);

        Assert.False(_pages.BreakCopyOnWrite(A));
        Assert.False(_pages.BreakCopyOnWrite(A + P));
    }

    [Fact]
    public void UnmapAndDestroy_FreeFramesWhenTheLastSpaceLetsGo()
    {
        _pages.MapZeroed(A, RW);
        _pages.MapZeroed(A + P, RW);
        var clone = (FakePageTables)_pages.CloneCopyOnWrite()!;

        _pages.Unmap(A);
        Assert.Equal(2, _pool.LiveFrames);
        clone.Destroy();
        Assert.Equal(1, _pool.LiveFrames);
        _pages.Destroy();

        Assert.Equal(0, _pool.LiveFrames);
        Assert.Equal(PageState.NotMapped, _pages.Query(A + P));
    }
}
