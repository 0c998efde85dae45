// PathWalkTests: components, dots, symlinks, limits, permissions, chroot.
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Paths;
using Kevlar.Vfs.Tests.Support;
using Xunit;
using static Kevlar.Vfs.Tests.Support.VfsWorld;

namespace Kevlar.Vfs.Tests.Paths;

public class PathWalkTests
{
    private readonly VfsWorld _w = new VfsWorld();

    private int Resolve(string path, bool follow = true) => _w.Ns.Lookup(_w.Root, path, follow, out _);

    [Fact]
    public void Resolve_DotsAndSlashes_Normalise()
    {
        _w.Dir("/a");
        _w.Dir("/a/b");
        Assert.Equal(_w.Get("/a/b"), _w.Get("//a/./b/../b//"));
        Assert.Equal(_w.Tree.Root, _w.Get("/../../.."));
        Assert.Equal(_w.Tree.Root, _w.Get("/"));
    }

    [Fact]
    public void Resolve_Errors_EnoentEnotdirEmpty()
    {
        _w.File("/f");
        Assert.Equal(-Errno.ENOENT, Resolve("/missing"));
        Assert.Equal(-Errno.ENOENT, Resolve("/missing/x"));
        Assert.Equal(-Errno.ENOTDIR, Resolve("/f/x"));
        Assert.Equal(-Errno.ENOTDIR, Resolve("/f/"));
        Assert.Equal(-Errno.ENOTDIR, Resolve("/f/."));
        Assert.Equal(-Errno.ENOENT, Resolve(""));
    }

    [Fact]
    public void Resolve_LongNames_Enametoolong()
    {
        Assert.Equal(-Errno.ENAMETOOLONG, Resolve("/" + new string('x', 256)));
        Assert.Equal(-Errno.ENOENT, Resolve("/" + new string('x', 255)));
        Assert.Equal(-Errno.ENAMETOOLONG, Resolve(new string('/', 4096)));
        Assert.Equal(0, Resolve(new string('/', 4095)));
    }

    [Fact]
    public void Resolve_Symlinks_RelativeFromLinkDirAbsoluteFromRoot()
    {
        _w.Dir("/a");
        _w.Dir("/a/b");
        _w.File("/a/b/target", "x");
        Assert.Equal(0, _w.Ns.Symlink(_w.Root, "b/target", "/a/rel"));
        Assert.Equal(0, _w.Ns.Symlink(_w.Root, "/a/b", "/abs"));
        Assert.Equal(_w.Get("/a/b/target"), _w.Get("/a/rel"));
        Assert.Equal(_w.Get("/a/b/target"), _w.Get("/abs/target"));
        Assert.IsType<Kevlar.Vfs.Inodes.SymlinkInode>(_w.Inode("/a/rel", follow: false));
        Assert.Equal(_w.Get("/a/b"), _w.Get("/abs/", follow: false));
    }

    [Fact]
    public void Resolve_SymlinkLoop_Eloop()
    {
        Assert.Equal(0, _w.Ns.Symlink(_w.Root, "b", "/a"));
        Assert.Equal(0, _w.Ns.Symlink(_w.Root, "a", "/b"));
        Assert.Equal(-Errno.ELOOP, Resolve("/a"));
        Assert.Equal(-Errno.ELOOP, Resolve("/a/x"));
        Assert.Equal(0, Resolve("/a", follow: false));
        Assert.Equal(-Errno.ELOOP, Resolve("/a/", follow: false));
    }

    [Fact]
    public void Resolve_FortySymlinksInChain_OkFortyOneEloop()
    {
        _w.File("/end");
        Assert.Equal(0, _w.Ns.Symlink(_w.Root, "end", "/l0"));
        for (int i = 1; i <= 40; i++)
            Assert.Equal(0, _w.Ns.Symlink(_w.Root, "l" + (i - 1), "/l" + i));
        Assert.Equal(0, Resolve("/l39"));
        Assert.Equal(-Errno.ELOOP, Resolve("/l40"));
    }

    [Fact]
    public void Resolve_DanglingSymlink_EnoentUnlessNotFollowed()
    {
        Assert.Equal(0, _w.Ns.Symlink(_w.Root, "/nowhere", "/dangle"));
        Assert.Equal(-Errno.ENOENT, Resolve("/dangle"));
        Assert.Equal(0, Resolve("/dangle", follow: false));
    }

    [Fact]
    public void Resolve_NoSearchPermission_EaccesForUserWithoutGroup()
    {
        _w.Dir("/d", mode: Oct("750"), uid: 0, gid: 50);
        _w.File("/d/f");
        Assert.Equal(0, _w.Ns.Lookup(_w.As(1000, 100, 50), "/d/f", true, out _));
        Assert.Equal(-Errno.EACCES, _w.Ns.Lookup(_w.As(1000, 100), "/d/f", true, out _));
        Assert.Equal(-Errno.EACCES, _w.Ns.Lookup(_w.As(1000, 100), "/d/.", true, out _));
        Assert.Equal(0, _w.Ns.Lookup(_w.As(1000, 100), "/d", true, out _));
    }

    [Fact]
    public void Resolve_Chroot_DotDotAndAbsoluteSymlinksStayInside()
    {
        _w.Dir("/jail");
        _w.Dir("/jail/etc");
        _w.File("/jail/etc/passwd", "inside");
        _w.Dir("/etc");
        _w.File("/etc/passwd", "outside");
        Assert.Equal(0, _w.Ns.Symlink(_w.Root, "/etc/passwd", "/jail/link"));
        Location jail = _w.Get("/jail");
        var ctx = new PathContext(Credentials.Root, jail, jail);
        Assert.Equal(0, _w.Ns.Lookup(ctx, "../../etc/passwd", true, out Location a));
        Assert.Equal(_w.Get("/jail/etc/passwd"), a);
        Assert.Equal(0, _w.Ns.Lookup(ctx, "/link", true, out Location b));
        Assert.Equal(_w.Get("/jail/etc/passwd"), b);
    }

    [Fact]
    public void ResolveParent_ReportsKindsAndTrailingSlash()
    {
        _w.Dir("/a");
        Assert.Equal(0, _w.Ns.Walk.ResolveParent(_w.Root, "/a/name/", out PathParent p));
        Assert.Equal("name", p.Name);
        Assert.True(p.TrailingSlash);
        Assert.Equal(_w.Get("/a"), p.Directory);
        Assert.Equal(0, _w.Ns.Walk.ResolveParent(_w.Root, "/a/..", out p));
        Assert.Equal(LastKind.DotDot, p.Kind);
        Assert.Equal(0, _w.Ns.Walk.ResolveParent(_w.Root, "//", out p));
        Assert.Equal(LastKind.Root, p.Kind);
    }
}
