// NamespaceRemoveTests: unlink and rmdir errno rules, the sticky bit, mount points.
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Tests.Support;
using Xunit;
using static Kevlar.Vfs.Tests.Support.VfsWorld;

namespace Kevlar.Vfs.Tests.Operations;

public class NamespaceRemoveTests
{
    private readonly VfsWorld _w = new VfsWorld();

    [Fact]
    public void Unlink_Errors()
    {
        _w.Dir("/d");
        _w.File("/f");
        Assert.Equal(-Errno.EISDIR, _w.Ns.Unlink(_w.Root, "/d"));
        Assert.Equal(-Errno.EISDIR, _w.Ns.Unlink(_w.Root, "/d/."));
        Assert.Equal(-Errno.EISDIR, _w.Ns.Unlink(_w.Root, "/d/"));
        Assert.Equal(-Errno.ENOTDIR, _w.Ns.Unlink(_w.Root, "/f/"));
        Assert.Equal(-Errno.ENOENT, _w.Ns.Unlink(_w.Root, "/nope"));
        _w.Tree.RootMount.Flags = MountFlags.MS_RDONLY;
        Assert.Equal(-Errno.EROFS, _w.Ns.Unlink(_w.Root, "/f"));
    }

    [Fact]
    public void Unlink_TouchesParentAndNeedsWriteOnIt()
    {
        var d = _w.Dir("/d", mode: Oct("755"), uid: 1000, gid: 1000);
        _w.File("/d/f", uid: 2000);
        Assert.Equal(-Errno.EACCES, _w.Ns.Unlink(_w.As(2000, 2000), "/d/f"));
        Timestamp m = d.Mtime;
        _w.Clock.Advance(5);
        Assert.Equal(0, _w.Ns.Unlink(_w.As(1000, 1000), "/d/f"));
        Assert.True(d.Mtime > m);
    }

    [Fact]
    public void Unlink_StickyDirectory_OnlyOwnersMayRemove()
    {
        _w.Dir("/tmp", mode: Oct("1777"), uid: 0);
        _w.File("/tmp/alice", uid: 1000);
        _w.File("/tmp/alice2", uid: 1000);
        Assert.Equal(-Errno.EPERM, _w.Ns.Unlink(_w.As(2000, 2000), "/tmp/alice"));
        Assert.Equal(0, _w.Ns.Unlink(_w.As(1000, 1000), "/tmp/alice"));
        Assert.Equal(0, _w.Ns.Unlink(_w.Root, "/tmp/alice2"));
        _w.Dir("/own", mode: Oct("1777"), uid: 3000);
        _w.File("/own/x", uid: 1000);
        Assert.Equal(0, _w.Ns.Unlink(_w.As(3000, 3000), "/own/x"));
    }

    [Fact]
    public void Rmdir_Errors()
    {
        _w.Dir("/d");
        _w.File("/d/f");
        _w.Dir("/e");
        Assert.Equal(-Errno.ENOTEMPTY, _w.Ns.Rmdir(_w.Root, "/d"));
        Assert.Equal(-Errno.ENOTDIR, _w.Ns.Rmdir(_w.Root, "/d/f"));
        Assert.Equal(-Errno.EINVAL, _w.Ns.Rmdir(_w.Root, "/e/."));
        Assert.Equal(-Errno.ENOTEMPTY, _w.Ns.Rmdir(_w.Root, "/e/.."));
        Assert.Equal(-Errno.EBUSY, _w.Ns.Rmdir(_w.Root, "/"));
        Assert.Equal(-Errno.ENOENT, _w.Ns.Rmdir(_w.Root, "/nope"));
        Assert.Equal(0, _w.Ns.Rmdir(_w.Root, "/e/"));
        Assert.Equal(3u, _w.Fs.Root.LinkCount);
    }

    [Fact]
    public void Rmdir_MountPoint_Ebusy()
    {
        _w.Dir("/mnt");
        Assert.Equal(0, _w.Tree.Attach(_w.Get("/mnt"), new Tmpfs(_w.Clock, 2), 0, "tmpfs", out _));
        Assert.Equal(-Errno.EBUSY, _w.Ns.Rmdir(_w.Root, "/mnt"));
        Assert.Equal(-Errno.EBUSY, _w.Ns.Rmdir(_w.Root, "/mnt/"));
    }

    [Fact]
    public void Rmdir_DropsLinkCountsToZero()
    {
        var d = _w.Dir("/d");
        Assert.Equal(3u, _w.Fs.Root.LinkCount);
        Assert.Equal(0, _w.Ns.Rmdir(_w.Root, "/d"));
        Assert.Equal(0u, d.LinkCount);
        Assert.Equal(2u, _w.Fs.Root.LinkCount);
        Assert.True(d.IsEvicted);
    }
}
