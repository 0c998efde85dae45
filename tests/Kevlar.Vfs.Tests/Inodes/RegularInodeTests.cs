// RegularInodeTests: sparse pages, holes, truncation, size limits.
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Tests.Support;
using Xunit;

namespace Kevlar.Vfs.Tests.Inodes;

public class RegularInodeTests
{
    private const long GiB = 1L << 30;

    [Fact]
    public void Write_AtOneGibibyte_UsesOnePageAndReadsHolesAsZeros()
    {
        var w = new VfsWorld();
        var f = w.File("/sparse");
        long before = w.Fs.PagesInUse;

        Assert.Equal(5, f.Write(GiB, "hello"u8));

        Assert.Equal(GiB + 5, f.Size);
        Assert.Equal(1, f.PageCount);
        Assert.Equal(before + 1, w.Fs.PagesInUse);
        var buf = new byte[8];
        buf.AsSpan().Fill(0xFF);
        Assert.Equal(8, f.Read(GiB - 3, buf));
        Assert.Equal(new byte[] { 0, 0, 0, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o' }, buf);
        Assert.Equal(0, f.Read(GiB + 5, buf));
    }

    [Fact]
    public void Write_AcrossPageBoundary_AllocatesTwoPages()
    {
        var w = new VfsWorld();
        var f = w.File("/f");
        Assert.Equal(10, f.Write(4090, new byte[10]));
        Assert.Equal(2, f.PageCount);
    }

    [Fact]
    public void Truncate_Shrink_FreesPagesAndZeroesTail()
    {
        var w = new VfsWorld();
        var f = w.File("/f");
        var data = new byte[3 * RegularInode.PageSize];
        data.AsSpan().Fill(7);
        f.Write(0, data);
        Assert.Equal(3, f.PageCount);

        Assert.Equal(0, f.Truncate(100, false));
        Assert.Equal(1, f.PageCount);
        Assert.Equal(1, w.Fs.PagesInUse);
        Assert.Equal(0, f.Truncate(5000, false));
        var buf = new byte[200];
        f.Read(0, buf);
        Assert.Equal(7, buf[99]);
        Assert.Equal(0, buf[100]);
        Assert.Equal(5000, f.Size);
    }

    [Fact]
    public void Truncate_NegativeOrTooLarge_Fails()
    {
        var w = new VfsWorld(new TmpfsOptions { MaxFileSize = 8192 });
        var f = w.File("/f");
        Assert.Equal(-Errno.EINVAL, f.Truncate(-1, false));
        Assert.Equal(-Errno.EFBIG, f.Truncate(8193, false));
        Assert.Equal(0, f.Truncate(8192, false));
    }

    [Fact]
    public void Write_PastMaxFileSize_IsShortThenEfbig()
    {
        var w = new VfsWorld(new TmpfsOptions { MaxFileSize = 8192 });
        var f = w.File("/f");
        Assert.Equal(2, f.Write(8190, new byte[10]));
        Assert.Equal(-Errno.EFBIG, f.Write(8192, new byte[1]));
        Assert.Equal(8192, f.Size);
    }

    [Fact]
    public void Write_FilesystemFull_IsShortThenEnospc()
    {
        var w = new VfsWorld(new TmpfsOptions { MaxPages = 2 });
        var f = w.File("/f");
        Assert.Equal(2 * RegularInode.PageSize, f.Write(0, new byte[3 * RegularInode.PageSize]));
        Assert.Equal(-Errno.ENOSPC, f.Write(2 * RegularInode.PageSize, new byte[1]));
        Assert.Equal(0, f.Truncate(0, false));
        Assert.Equal(0, w.Fs.PagesInUse);
    }

    [Fact]
    public void Write_SharedBudgetSpentByAnotherFilesystem_IsEnospcUntilItsPagesGo()
    {
        var budget = new MemoryBudget(3);
        var a = new VfsWorld(new TmpfsOptions { MaxPages = 100, Budget = budget });
        var b = new VfsWorld(new TmpfsOptions { MaxPages = 100, Budget = budget });
        var fa = a.File("/f");
        var fb = b.File("/f");

        Assert.Equal(2 * RegularInode.PageSize, fa.Write(0, new byte[2 * RegularInode.PageSize]));
        Assert.Equal(RegularInode.PageSize, fb.Write(0, new byte[2 * RegularInode.PageSize]));
        Assert.Equal(-Errno.ENOSPC, fb.Write(RegularInode.PageSize, new byte[1]));
        b.Fs.Statfs(out StatfsInfo full);
        Assert.Equal(0, full.Bfree);

        Assert.Equal(0, fa.Truncate(0, false));
        Assert.Equal(1, fb.Write(RegularInode.PageSize, new byte[1]));
        Assert.Equal(2, budget.PagesInUse);
    }

    [Fact]
    public void Allocate_PastTheLimit_IsEnospcAndKeepsNothing()
    {
        var w = new VfsWorld(new TmpfsOptions { MaxPages = 4 });
        var f = w.File("/f");
        Assert.Equal(1, f.Write(0, new byte[1]));

        Assert.Equal(-Errno.ENOSPC, f.Allocate(0, 10L * RegularInode.PageSize, keepSize: false));

        Assert.Equal((1, 1L, 1L), (f.PageCount, f.Size, w.Fs.PagesInUse));
        Assert.Equal(0, f.Allocate(0, 3L * RegularInode.PageSize, keepSize: true));
        Assert.Equal((3, 1L), (f.PageCount, f.Size));
        Assert.Equal(0, f.Allocate(RegularInode.PageSize, 4L * RegularInode.PageSize, keepSize: false));
        Assert.Equal((4, 4L * RegularInode.PageSize), (f.PageCount, f.Size));
    }

    [Fact]
    public void PunchHole_FreesWholePagesZeroesEdgesAllocatesNothing()
    {
        var w = new VfsWorld(new TmpfsOptions { MaxPages = 8 });
        var f = w.File("/f");
        byte[] ones = new byte[3 * RegularInode.PageSize];
        Array.Fill(ones, (byte)1);
        Assert.Equal(ones.Length, f.Write(0, ones));

        f.PunchHole(100, 2L * RegularInode.PageSize + 10);
        f.PunchHole(10L * RegularInode.PageSize, long.MaxValue);

        Assert.Equal((2, 3L * RegularInode.PageSize, 2L), (f.PageCount, f.Size, w.Fs.PagesInUse));
        byte[] back = new byte[ones.Length];
        Assert.Equal(back.Length, f.Read(0, back));
        Assert.Equal(100, back.Take(2 * RegularInode.PageSize + 10).Count(b => b == 1));
        Assert.All(back.Skip(2 * RegularInode.PageSize + 10), b => Assert.Equal(1, b));
    }

    [Fact]
    public void WriteAndTruncate_AdvanceTimes_ReadAdvancesAtime()
    {
        var w = new VfsWorld();
        var f = w.File("/f");
        Timestamp t0 = f.Mtime;
        w.Clock.Advance(1_500_000_000);
        f.Write(0, "x"u8);
        Assert.True(f.Mtime > t0);
        Assert.Equal(f.Mtime, f.Ctime);
        Assert.Equal(1_700_000_001L, f.Mtime.Seconds);
        Assert.Equal(500_000_001L, f.Mtime.Nanoseconds);

        w.Clock.Advance(1000);
        Timestamp m = f.Mtime;
        f.Truncate(1, false);
        Assert.Equal(m, f.Mtime);
        f.Truncate(1, true);
        Assert.True(f.Mtime > m);

        w.Clock.Advance(1000);
        f.Read(0, new byte[1]);
        Assert.True(f.Atime > f.Mtime);
    }

    [Fact]
    public void ContentVersion_ChangesWithTheContentsOnly()
    {
        var w = new VfsWorld();
        var f = w.File("/f");
        int v = f.ContentVersion;
        f.Write(0, "abc"u8);
        Assert.True(f.ContentVersion > v);
        v = f.ContentVersion;
        f.Read(0, new byte[3]);
        f.Truncate(3, true);                 // same size: times change, contents do not
        Assert.Equal(v, f.ContentVersion);
        f.Truncate(1, false);
        Assert.True(f.ContentVersion > v);
        v = f.ContentVersion;
        Assert.Equal(0, f.Allocate(0, 8192, false));
        Assert.True(f.ContentVersion > v);
        v = f.ContentVersion;
        f.PunchHole(0, 4096);
        Assert.True(f.ContentVersion > v);
    }

    [Fact]
    public void Read_FollowsRelatime_AgainOnlyAfterAChangeOrADay()
    {
        var w = new VfsWorld();
        var f = w.File("/f", "x");
        w.Clock.Advance(1000);
        f.Read(0, new byte[1]);
        Timestamp first = f.Atime;
        Assert.True(first > f.Mtime);
        w.Clock.Advance(1000);
        f.Read(0, new byte[1]);
        Assert.Equal(first, f.Atime); // newer than mtime and ctime, younger than a day: kept
        w.Clock.Advance(1000);
        f.Write(0, "y"u8);
        w.Clock.Advance(1000);
        f.Read(0, new byte[1]);
        Assert.True(f.Atime > f.Mtime); // the write made it stale
        Timestamp second = f.Atime;
        w.Clock.Advance(24L * 60 * 60 * 1_000_000_000);
        f.Read(0, new byte[1]);
        Assert.True(f.Atime > second); // a day later
    }
}
