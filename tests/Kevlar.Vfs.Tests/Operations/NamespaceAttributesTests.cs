// NamespaceAttributesTests: chmod, chown, utimensat and truncate rules.
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Operations;
using Kevlar.Vfs.Tests.Support;
using Xunit;
using static Kevlar.Vfs.Tests.Support.VfsWorld;

namespace Kevlar.Vfs.Tests.Operations;

public class NamespaceAttributesTests
{
    private readonly VfsWorld _w = new VfsWorld();
    private static readonly Credentials Alice = new Credentials(1000, 1000, new uint[] { 50 });
    private static readonly Credentials Bob = new Credentials(2000, 2000);

    [Fact]
    public void Chmod_OwnerOrRootOnly_CtimeAdvances()
    {
        var f = _w.File("/f", uid: 1000, gid: 1000);
        Location at = _w.Get("/f");
        Assert.Equal(-Errno.EPERM, Namespace.Chmod(Bob, at, Oct("777")));
        Timestamp c = f.Ctime;
        _w.Clock.Advance(1);
        Assert.Equal(0, Namespace.Chmod(Alice, at, Oct("4711")));
        Assert.Equal(FileType.S_IFREG | Oct("4711"), f.Mode);
        Assert.True(f.Ctime > c);
    }

    [Fact]
    public void Chmod_SetgidOutsideGroup_Cleared()
    {
        var f = _w.File("/f", uid: 1000, gid: 99);
        Assert.Equal(0, Namespace.Chmod(Alice, _w.Get("/f"), Oct("2755")));
        Assert.Equal(Oct("755"), f.Mode & FileMode.S_IALLUGO);
        Assert.Equal(0, Namespace.Chown(Credentials.Root, _w.Get("/f"), Namespace.NoChange, 50));
        Assert.Equal(0, Namespace.Chmod(Alice, _w.Get("/f"), Oct("2755")));
        Assert.Equal(Oct("2755"), f.Mode & FileMode.S_IALLUGO);
    }

    [Fact]
    public void Chown_Rules()
    {
        var f = _w.File("/f", mode: Oct("6755"), uid: 1000, gid: 1000);
        Location at = _w.Get("/f");
        Assert.Equal(-Errno.EPERM, Namespace.Chown(Alice, at, 2000, Namespace.NoChange));
        Assert.Equal(-Errno.EPERM, Namespace.Chown(Alice, at, Namespace.NoChange, 77));
        Assert.Equal(-Errno.EPERM, Namespace.Chown(Bob, at, Namespace.NoChange, 2000));
        Assert.Equal(0, Namespace.Chown(Alice, at, 1000, 50));
        Assert.Equal(50u, f.Gid);
        Assert.Equal(Oct("755"), f.Mode & FileMode.S_IALLUGO);
        Assert.Equal(0, Namespace.Chown(Credentials.Root, at, 2000, 2000));
        Assert.Equal(2000u, f.Uid);
    }

    [Fact]
    public void Chown_Directory_KeepsSetgid()
    {
        var d = _w.Dir("/d", mode: Oct("2775"));
        Assert.Equal(0, Namespace.Chown(Credentials.Root, _w.Get("/d"), 5, 5));
        Assert.Equal(Oct("2775"), d.Mode & FileMode.S_IALLUGO);
    }

    [Fact]
    public void Utimens_ExplicitTimes_OwnerOrRoot()
    {
        var f = _w.File("/f", mode: Oct("666"), uid: 1000);
        Location at = _w.Get("/f");
        var t = new Timestamp(1234, 5678);
        Assert.Equal(-Errno.EPERM, Namespace.Utimens(Bob, at, t, t));
        Assert.Equal(0, Namespace.Utimens(Alice, at, t, new Timestamp(0, UtimeSpecial.UTIME_OMIT)));
        Assert.Equal(t, f.Atime);
        Assert.NotEqual(t, f.Mtime);
        Assert.Equal(-Errno.EINVAL, Namespace.Utimens(Alice, at, new Timestamp(0, 1_000_000_000), t));
    }

    [Fact]
    public void Utimens_BothNow_WritePermissionSuffices()
    {
        var f = _w.File("/f", mode: Oct("644"), uid: 1000);
        _w.File("/g", mode: Oct("666"), uid: 1000);
        var now = new Timestamp(0, UtimeSpecial.UTIME_NOW);
        var omit = new Timestamp(0, UtimeSpecial.UTIME_OMIT);
        Assert.Equal(-Errno.EACCES, Namespace.Utimens(Bob, _w.Get("/f"), now, now));
        Assert.Equal(-Errno.EPERM, Namespace.Utimens(Bob, _w.Get("/g"), now, omit));
        _w.Clock.Advance(1_000_000);
        Assert.Equal(0, Namespace.Utimens(Bob, _w.Get("/g"), now, now));
        Inode g = _w.Inode("/g");
        Assert.Equal(g.Ctime, g.Mtime);
        Assert.Equal(g.Ctime, g.Atime);
        Assert.True(g.Mtime > f.Mtime);
        Assert.Equal(0, Namespace.Utimens(Bob, _w.Get("/f"), omit, omit));
    }

    [Fact]
    public void Truncate_Rules()
    {
        _w.Dir("/d");
        _w.File("/f", "hello", mode: Oct("644"), uid: 1000);
        Assert.Equal(0, _w.Ns.Mknod(_w.Root, "/p", FileType.S_IFIFO, 0));
        Assert.Equal(-Errno.EISDIR, Namespace.Truncate(Credentials.Root, _w.Get("/d"), 0));
        Assert.Equal(-Errno.EINVAL, Namespace.Truncate(Credentials.Root, _w.Get("/p"), 0));
        Assert.Equal(-Errno.EINVAL, Namespace.Truncate(Credentials.Root, _w.Get("/f"), -1));
        Assert.Equal(-Errno.EACCES, Namespace.Truncate(Bob, _w.Get("/f"), 0));
        Assert.Equal(0, Namespace.Truncate(Alice, _w.Get("/f"), 2));
        Assert.Equal("he", _w.Read("/f"));
        _w.Tree.RootMount.Flags = MountFlags.MS_RDONLY;
        Assert.Equal(-Errno.EROFS, Namespace.Truncate(Alice, _w.Get("/f"), 0));
    }

    [Fact]
    public void Truncate_PastMaxFileSize_Efbig()
    {
        var w = new VfsWorld(new TmpfsOptions { MaxFileSize = 4096 });
        w.File("/f");
        Assert.Equal(-Errno.EFBIG, Namespace.Truncate(Credentials.Root, w.Get("/f"), 4097));
    }

    [Fact]
    public void Write_ByNonRoot_ClearsSetuid()
    {
        var f = _w.File("/f", mode: Oct("4777"), uid: 0);
        Assert.Equal(1, Namespace.Write(Bob, f, 0, "x"u8));
        Assert.Equal(Oct("777"), f.Mode & FileMode.S_IALLUGO);
    }

    [Fact]
    public void Attributes_ReadOnlyMount_Erofs()
    {
        _w.File("/f", uid: 1000);
        _w.Tree.RootMount.Flags = MountFlags.MS_RDONLY;
        Location at = _w.Get("/f");
        var now = new Timestamp(0, UtimeSpecial.UTIME_NOW);
        Assert.Equal(-Errno.EROFS, Namespace.Chmod(Alice, at, 0));
        Assert.Equal(-Errno.EROFS, Namespace.Chown(Alice, at, 1000, 1000));
        Assert.Equal(-Errno.EROFS, Namespace.Utimens(Alice, at, now, now));
    }
}
