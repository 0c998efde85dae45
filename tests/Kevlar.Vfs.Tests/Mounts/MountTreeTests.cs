// MountTreeTests: attach and detach rules, /proc/mounts lines, paths across mounts.
using System.Text;
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Tests.Support;
using Xunit;

namespace Kevlar.Vfs.Tests.Mounts;

public class MountTreeTests
{
    private readonly VfsWorld _w = new VfsWorld();

    private Mount MountTmpfs(string path, uint flags = 0, string source = "tmpfs")
    {
        var fs = new Tmpfs(_w.Clock, 2);
        Assert.Equal(0, _w.Tree.Attach(_w.Get(path), fs, flags, source, out Mount? m));
        return m!;
    }

    [Fact]
    public void Attach_ThenLookup_CrossesIntoMountAndDotDotComesBack()
    {
        _w.Dir("/mnt");
        _w.File("/mnt/hidden");
        Mount m = MountTmpfs("/mnt");
        _w.Dir("/mnt/inside");

        Assert.Equal(m, _w.Get("/mnt").Mount);
        Assert.Equal(-Errno.ENOENT, _w.Ns.Lookup(_w.Root, "/mnt/hidden", true, out _));
        Location up = _w.Get("/mnt/..");
        Assert.Equal(_w.Tree.Root, up);
        Assert.Equal(_w.Tree.Root, _w.Get("/mnt/inside/../.."));
    }

    [Fact]
    public void Copy_SameFilesystemsAtTheSamePlaces_NewMountsAndIds_ChangesStayApart()
    {
        _w.Dir("/a");
        Mount a = MountTmpfs("/a");
        _w.Dir("/a/b");
        Mount b = MountTmpfs("/a/b");
        var copies = new System.Collections.Generic.Dictionary<Mount, Mount>();

        MountTree copy = _w.Tree.Copy(copies);

        Assert.Equal(3, copy.Count);
        Assert.Same(a.Filesystem, copies[a].Filesystem);
        Assert.Same(copies[a], copies[b].Parent);
        Assert.Same(b.Mountpoint, copies[b].Mountpoint);
        Assert.True(copies[b].Id > b.Id);                       // one id source for a tree and its copies
        Assert.Equal(2, b.Filesystem.MountCount);
        Location aInCopy = MountTree.CopyOf(_w.Get("/a"), copies);
        Assert.Same(copy, aInCopy.Mount.Tree);
        Assert.Equal(copy.Cross(new Location(copy.RootMount, a.Mountpoint!)), aInCopy);
        var sb = new StringBuilder();
        var sbCopy = new StringBuilder();
        _w.Tree.WriteProcMounts(_w.Tree.Root, sb);
        copy.WriteProcMounts(copy.Root, sbCopy);
        Assert.Equal(sb.ToString(), sbCopy.ToString());

        var unmounted = new System.Collections.Generic.List<Filesystem>();
        Assert.Equal(0, copy.DetachTree(aInCopy, unmounted));
        Assert.Empty(unmounted);                                // the original still shows both
        Assert.Equal(3, _w.Tree.Count);
        Assert.Equal(-Errno.EINVAL, _w.Tree.Detach(new Location(copies[a], a.Root)));   // not this tree's
        copy.TearDown(unmounted);
        Assert.True(copy.RootMount.Detached);
        Assert.Empty(unmounted);
        Assert.Equal(0, _w.Tree.DetachTree(_w.Get("/a"), unmounted));
        Assert.Equal(new[] { b.Filesystem, a.Filesystem }, unmounted);
    }

    [Fact]
    public void WriteMountInfo_FieldsOfAMountAndOfABindOfItsSubdirectory()
    {
        _w.Dir("/a b");
        Mount a = MountTmpfs("/a b", MountFlags.MS_NOSUID | MountFlags.MS_NODIRATIME, "my src");
        _w.Dir("/a b/sub");
        _w.Dir("/c");
        Location sub = _w.Get("/a b/sub");
        Assert.Equal(0, _w.Tree.Attach(_w.Get("/c"), a.Filesystem, (DirectoryInodeOf(sub)), MountFlags.MS_RDONLY, "my src", out Mount? bind));
        var sb = new StringBuilder();

        _w.Tree.WriteMountInfo(_w.Tree.Root, sb);

        string[] lines = sb.ToString().Split('\n');
        Assert.Equal($"{a.Id} 1 0:2 / /a\\040b rw,nosuid,nodiratime,relatime - tmpfs my\\040src rw", lines[1]);
        Assert.Equal($"{bind!.Id} 1 0:2 /sub /c ro,relatime - tmpfs my\\040src rw", lines[2]);
        Assert.StartsWith("1 1 ", lines[0]);
    }

    private static Kevlar.Vfs.Inodes.DirectoryInode DirectoryInodeOf(Location at) => (Kevlar.Vfs.Inodes.DirectoryInode)at.Inode;

    [Fact]
    public void Detach_Rules_EinvalNotRootEbusyChildren()
    {
        _w.Dir("/a");
        MountTmpfs("/a");
        _w.Dir("/a/b");
        MountTmpfs("/a/b");
        _w.Dir("/a/c");
        Assert.Equal(-Errno.EINVAL, _w.Tree.Detach(_w.Get("/a/c")));
        Assert.Equal(-Errno.EBUSY, _w.Tree.Detach(_w.Get("/a")));
        Assert.Equal(-Errno.EBUSY, _w.Tree.Detach(_w.Tree.Root));
        Assert.Equal(0, _w.Tree.Detach(_w.Get("/a/b")));
        Assert.Equal(0, _w.Tree.Detach(_w.Get("/a")));
        Assert.Equal(1, _w.Tree.Count);
    }

    [Fact]
    public void DetachTree_InsideTheDetachedTree_NothingMountsOrUnmounts()
    {
        _w.Dir("/a");
        Mount a = MountTmpfs("/a");
        _w.Dir("/a/b");
        Location inside = _w.Get("/a/b");
        Location aRoot = _w.Get("/a");
        Assert.Equal(0, _w.Tree.DetachTree(aRoot));

        Assert.True(a.Detached);
        Assert.Equal(-Errno.EINVAL, _w.Tree.Attach(inside, new Tmpfs(_w.Clock, 3), 0, "tmpfs", out _));
        Assert.Equal(-Errno.EINVAL, _w.Tree.DetachTree(aRoot));
        Assert.Equal(-Errno.EINVAL, _w.Tree.Detach(aRoot));
        Assert.Equal(1, _w.Tree.Count);
    }

    [Fact]
    public void DetachTree_DotDotFromItsTop_StaysInside()
    {
        _w.Dir("/a");
        MountTmpfs("/a");
        _w.Dir("/a/b");
        Location top = _w.Get("/a");
        Location b = _w.Get("/a/b");
        Assert.Equal(0, _w.Tree.DetachTree(top));

        var inside = new Kevlar.Vfs.Paths.PathContext(Credentials.Root, _w.Tree.Root, b);
        Assert.Equal(0, _w.Ns.Lookup(inside, "../..", true, out Location up));
        Assert.Equal(top, up);
        Assert.Equal(top, _w.Ns.Walk.Up(inside, top));
    }

    [Fact]
    public void WriteProcMounts_ListsInMountOrderWithOptionsAndEscapes()
    {
        _w.Dir("/tmp");
        _w.Dir("/my dir");
        MountTmpfs("/tmp", MountFlags.MS_NOSUID | MountFlags.MS_NODEV);
        MountTmpfs("/my dir", MountFlags.MS_RDONLY, "none");
        var sb = new StringBuilder();
        _w.Tree.WriteProcMounts(_w.Tree.Root, sb);
        Assert.Equal("rootfs / tmpfs rw,relatime 0 0\ntmpfs /tmp tmpfs rw,nosuid,nodev,relatime 0 0\nnone /my\\040dir tmpfs ro,relatime 0 0\n", sb.ToString());
    }

    [Fact]
    public void PathOf_AcrossMountsAndUnderChroot()
    {
        _w.Dir("/srv");
        MountTmpfs("/srv");
        _w.Dir("/srv/www");
        _w.Dir("/srv/www/html");
        Location html = _w.Get("/srv/www/html");
        Assert.Equal(0, _w.Tree.PathOf(html, _w.Tree.Root, out string path));
        Assert.Equal("/srv/www/html", path);
        Assert.Equal(0, _w.Tree.PathOf(html, _w.Get("/srv/www"), out path));
        Assert.Equal("/html", path);
        Assert.Equal(0, _w.Tree.PathOf(_w.Get("/srv"), _w.Get("/srv/www"), out path));
        Assert.Equal("(unreachable)/srv", path);
        Assert.Equal(0, _w.Tree.PathOf(_w.Tree.Root, _w.Tree.Root, out path));
        Assert.Equal("/", path);
    }

    [Fact]
    public void PathOf_RemovedDirectory_Enoent()
    {
        _w.Dir("/gone");
        Location gone = _w.Get("/gone");
        Assert.Equal(0, _w.Ns.Rmdir(_w.Root, "/gone"));
        Assert.Equal(-Errno.ENOENT, _w.Tree.PathOf(gone, _w.Tree.Root, out _));
    }
}
