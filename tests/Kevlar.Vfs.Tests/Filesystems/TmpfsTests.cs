// TmpfsTests: statfs figures, limits, and that counters return to where
// they started after many files come and go.
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Operations;
using Kevlar.Vfs.Tests.Support;
using Xunit;

namespace Kevlar.Vfs.Tests.Filesystems;

public class TmpfsTests
{
    [Fact]
    public void Statfs_Unlimited_ReportsMagicAndZeroLimits()
    {
        var w = new VfsWorld();
        Namespace.Statfs(w.Tree.Root, out StatfsInfo s);
        Assert.Equal(0x01021994, s.Type);
        Assert.Equal(4096, s.Bsize);
        Assert.Equal(4096, s.Frsize);
        Assert.Equal(255, s.Namelen);
        Assert.Equal(0, s.Blocks);
        Assert.Equal(0, s.Files);
        Assert.Equal(StatfsInfo.ST_VALID, s.Flags);
    }

    [Fact]
    public void Statfs_Limited_ReportsFreeSpaceAndMountFlags()
    {
        var w = new VfsWorld(new TmpfsOptions { MaxPages = 10, MaxInodes = 20 });
        w.File("/f", "data");
        w.Tree.RootMount.Flags = MountFlags.MS_RDONLY | MountFlags.MS_NOSUID;
        Namespace.Statfs(w.Tree.Root, out StatfsInfo s);
        Assert.Equal(10, s.Blocks);
        Assert.Equal(9, s.Bfree);
        Assert.Equal(9, s.Bavail);
        Assert.Equal(20, s.Files);
        Assert.Equal(18, s.Ffree);
        Assert.Equal(StatfsInfo.ST_VALID | StatfsInfo.ST_RDONLY | StatfsInfo.ST_NOSUID, s.Flags);
    }

    [Fact]
    public void Create_PastInodeLimit_Enospc()
    {
        var w = new VfsWorld(new TmpfsOptions { MaxInodes = 2 });
        w.File("/a");
        Assert.Equal(-Errno.ENOSPC, w.Ns.Mkdir(w.Root, "/b", 0x1ED));
        Assert.Equal(0, w.Ns.Unlink(w.Root, "/a"));
        Assert.Equal(0, w.Ns.Mkdir(w.Root, "/b", 0x1ED));
    }

    [Fact]
    public void CreateAndDelete_100000Files_CountersReturnToStart()
    {
        var w = new VfsWorld();
        w.Dir("/d");
        long pages = w.Fs.PagesInUse, inodes = w.Fs.InodesInUse;
        var data = new byte[5000];
        for (int i = 0; i < 100_000; i++)
        {
            Assert.Equal(0, w.Ns.Open(w.Root, "/d/" + i, VfsOpenFlags.O_CREAT | VfsOpenFlags.O_WRONLY, 0x1A4, out Location at));
            ((Kevlar.Vfs.Inodes.RegularInode)at.Inode).Write(0, data);
            at.Inode.Release();
        }
        Assert.Equal(pages + 200_000, w.Fs.PagesInUse);
        Assert.Equal(inodes + 100_000, w.Fs.InodesInUse);
        for (int i = 0; i < 100_000; i++)
            Assert.Equal(0, w.Ns.Unlink(w.Root, "/d/" + i));
        Assert.Equal(pages, w.Fs.PagesInUse);
        Assert.Equal(inodes, w.Fs.InodesInUse);
        Assert.True(((Kevlar.Vfs.Inodes.DirectoryInode)w.Inode("/d")).IsEmpty);
    }

    [Fact]
    public void Unlink_WhileOpen_FreesOnLastRelease()
    {
        var w = new VfsWorld();
        w.File("/f", "abc");
        Assert.Equal(0, w.Ns.Open(w.Root, "/f", VfsOpenFlags.O_RDONLY, 0, out Location at));
        Assert.Equal(0, w.Ns.Unlink(w.Root, "/f"));
        Assert.Equal(1, w.Fs.PagesInUse);
        Assert.False(at.Inode.IsEvicted);
        Assert.Equal(0u, at.Inode.LinkCount);
        at.Inode.Release();
        Assert.True(at.Inode.IsEvicted);
        Assert.Equal(0, w.Fs.PagesInUse);
        Assert.Equal(1, w.Fs.InodesInUse);
    }
}
