// NamespaceCreateTests: mkdir, mknod, symlink and link errno rules, link
// counts and parent times.
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Tests.Support;
using Xunit;
using static Kevlar.Vfs.Tests.Support.VfsWorld;

namespace Kevlar.Vfs.Tests.Operations;

public class NamespaceCreateTests
{
    private readonly VfsWorld _w = new VfsWorld();

    [Fact]
    public void Mkdir_CountsLinksAndTouchesParent()
    {
        var d = _w.Dir("/d");
        Timestamp before = d.Mtime;
        _w.Clock.Advance(1000);
        Assert.Equal(0, _w.Ns.Mkdir(_w.Root, "/d/sub/", Oct("755")));
        Assert.Equal(3u, d.LinkCount);
        Assert.Equal(2u, _w.Inode("/d/sub").LinkCount);
        Assert.True(d.Mtime > before);
        Assert.Equal(d.Mtime, d.Ctime);
    }

    [Fact]
    public void Mkdir_Errors()
    {
        _w.File("/f");
        _w.Dir("/ro", mode: Oct("555"));
        Assert.Equal(-Errno.EEXIST, _w.Ns.Mkdir(_w.Root, "/f", 0));
        Assert.Equal(-Errno.EEXIST, _w.Ns.Mkdir(_w.Root, ".", 0));
        Assert.Equal(-Errno.EEXIST, _w.Ns.Mkdir(_w.Root, "/", 0));
        Assert.Equal(-Errno.ENOENT, _w.Ns.Mkdir(_w.Root, "/no/x", 0));
        Assert.Equal(-Errno.ENOTDIR, _w.Ns.Mkdir(_w.Root, "/f/x", 0));
        Assert.Equal(-Errno.EACCES, _w.Ns.Mkdir(_w.As(1000, 1000), "/ro/x", 0));
        Assert.Equal(-Errno.EEXIST, _w.Ns.Mkdir(_w.As(1000, 1000), "/ro/..", 0));
        Assert.Equal(-Errno.ENAMETOOLONG, _w.Ns.Mkdir(_w.Root, "/" + new string('n', 256), 0));
    }

    [Fact]
    public void Mkdir_InRemovedDirectory_Enoent()
    {
        _w.Dir("/gone");
        Location gone = _w.Get("/gone");
        Assert.Equal(0, _w.Ns.Rmdir(_w.Root, "/gone"));
        Assert.Equal(-Errno.ENOENT, _w.Ns.Mkdir(_w.Root.At(gone), "x", 0));
    }

    [Fact]
    public void Mkdir_ParentAtLinkLimit_Emlink()
    {
        var w = new VfsWorld(new TmpfsOptions { MaxLinks = 4 });
        Assert.Equal(0, w.Ns.Mkdir(w.Root, "/a", 0));
        Assert.Equal(0, w.Ns.Mkdir(w.Root, "/b", 0));
        Assert.Equal(-Errno.EMLINK, w.Ns.Mkdir(w.Root, "/c", 0));
    }

    [Fact]
    public void Mkdir_ReadOnlyMount_ErofsButEexistFirst()
    {
        _w.Dir("/d");
        _w.Tree.RootMount.Flags = MountFlags.MS_RDONLY;
        Assert.Equal(-Errno.EROFS, _w.Ns.Mkdir(_w.Root, "/x", 0));
        Assert.Equal(-Errno.EEXIST, _w.Ns.Mkdir(_w.Root, "/d", 0));
    }

    [Fact]
    public void Mkdir_InSetgidDirectory_InheritsGroupAndSetgid()
    {
        _w.Dir("/shared", mode: Oct("2777"), uid: 0, gid: 77);
        Assert.Equal(0, _w.Ns.Mkdir(_w.As(1000, 100), "/shared/sub", Oct("755")));
        Inode sub = _w.Inode("/shared/sub");
        Assert.Equal(77u, sub.Gid);
        Assert.Equal(1000u, sub.Uid);
        Assert.Equal(FileMode.S_ISGID, sub.Mode & FileMode.S_ISGID);
    }

    [Fact]
    public void Mknod_TypesAndPrivilege()
    {
        _w.Dir("/dev", mode: Oct("777"));
        var user = _w.As(1000, 1000);
        Assert.Equal(-Errno.EPERM, _w.Ns.Mknod(user, "/dev/null", FileType.S_IFCHR | Oct("666"), DeviceNumber.Make(1, 3)));
        Assert.Equal(0, _w.Ns.Mknod(_w.Root, "/dev/null", FileType.S_IFCHR | Oct("666"), DeviceNumber.Make(1, 3)));
        Assert.Equal(DeviceNumber.Make(1, 3), _w.Inode("/dev/null").RawDevice);
        Assert.Equal(0, _w.Ns.Mknod(user, "/dev/fifo", FileType.S_IFIFO | Oct("600"), 0));
        Assert.Equal(0, _w.Ns.Mknod(user, "/dev/sock", FileType.S_IFSOCK | Oct("600"), 0));
        Assert.Equal(0, _w.Ns.Mknod(user, "/dev/reg", Oct("600"), 0));
        Assert.IsType<RegularInode>(_w.Inode("/dev/reg"));
        Assert.Equal(-Errno.EPERM, _w.Ns.Mknod(_w.Root, "/dev/dir", FileType.S_IFDIR, 0));
        Assert.Equal(-Errno.EINVAL, _w.Ns.Mknod(_w.Root, "/dev/bad", 0xE000, 0));
        Assert.Equal(-Errno.ENOENT, _w.Ns.Mknod(_w.Root, "/dev/slash/", FileType.S_IFIFO, 0));
        Assert.Equal(-Errno.EEXIST, _w.Ns.Mknod(_w.Root, "/dev/fifo", FileType.S_IFIFO, 0));
    }

    [Fact]
    public void Symlink_Rules()
    {
        Assert.Equal(-Errno.ENOENT, _w.Ns.Symlink(_w.Root, "", "/l"));
        Assert.Equal(-Errno.ENAMETOOLONG, _w.Ns.Symlink(_w.Root, new string('a', 4096), "/l"));
        Assert.Equal(0, _w.Ns.Symlink(_w.Root, "target", "/l"));
        Assert.Equal(-Errno.EEXIST, _w.Ns.Symlink(_w.Root, "target", "/l"));
        Inode l = _w.Inode("/l", follow: false);
        Assert.Equal(6, l.Size);
        Assert.Equal(FileType.S_IFLNK | Oct("777"), l.Mode);
        Assert.Equal(0, _w.Ns.Readlink(_w.Root, "/l", out string target));
        Assert.Equal("target", target);
        _w.File("/f");
        Assert.Equal(-Errno.EINVAL, _w.Ns.Readlink(_w.Root, "/f", out _));
    }

    [Fact]
    public void Link_CountsAndCtime()
    {
        var f = _w.File("/f", "x");
        Timestamp c = f.Ctime;
        _w.Clock.Advance(1000);
        Assert.Equal(0, _w.Ns.Link(_w.Root, "/f", _w.Root, "/g", false));
        Assert.Equal(2u, f.LinkCount);
        Assert.True(f.Ctime > c);
        Assert.Same(f, _w.Inode("/g"));
        Assert.Equal(0, _w.Ns.Unlink(_w.Root, "/f"));
        Assert.Equal(1u, f.LinkCount);
        Assert.Equal("x", _w.Read("/g"));
    }

    [Fact]
    public void Link_Errors()
    {
        _w.Dir("/d");
        _w.File("/f");
        Assert.Equal(-Errno.EPERM, _w.Ns.Link(_w.Root, "/d", _w.Root, "/d2", false));
        Assert.Equal(-Errno.EEXIST, _w.Ns.Link(_w.Root, "/f", _w.Root, "/d", false));
        Assert.Equal(-Errno.ENOENT, _w.Ns.Link(_w.Root, "/nope", _w.Root, "/x", false));
        _w.Dir("/mnt");
        Assert.Equal(0, _w.Tree.Attach(_w.Get("/mnt"), new Tmpfs(_w.Clock, 9), 0, "tmpfs", out _));
        Assert.Equal(-Errno.EXDEV, _w.Ns.Link(_w.Root, "/f", _w.Root, "/mnt/f", false));
    }

    [Fact]
    public void Link_SymlinkFollowedOnlyWhenAsked()
    {
        var f = _w.File("/f");
        Assert.Equal(0, _w.Ns.Symlink(_w.Root, "f", "/l"));
        Assert.Equal(0, _w.Ns.Link(_w.Root, "/l", _w.Root, "/hard-to-link", false));
        Assert.IsType<SymlinkInode>(_w.Inode("/hard-to-link", follow: false));
        Assert.Equal(0, _w.Ns.Link(_w.Root, "/l", _w.Root, "/hard-to-file", true));
        Assert.Same(f, _w.Inode("/hard-to-file"));
    }

    [Fact]
    public void Link_AtLinkLimit_Emlink()
    {
        var w = new VfsWorld(new TmpfsOptions { MaxLinks = 2 });
        w.File("/f");
        Assert.Equal(0, w.Ns.Link(w.Root, "/f", w.Root, "/g", false));
        Assert.Equal(-Errno.EMLINK, w.Ns.Link(w.Root, "/f", w.Root, "/h", false));
    }
}
