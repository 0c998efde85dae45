// NamespaceRenameTests: plain rename, RENAME_NOREPLACE, RENAME_EXCHANGE,
// RENAME_WHITEOUT and the errno rules of rename(2).
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Operations;
using Kevlar.Vfs.Tests.Support;
using Xunit;
using static Kevlar.Vfs.Tests.Support.VfsWorld;

namespace Kevlar.Vfs.Tests.Operations;

public class NamespaceRenameTests
{
    private readonly VfsWorld _w = new VfsWorld();

    private int Rename(string from, string to, uint flags = 0) => _w.Ns.Rename(_w.Root, from, _w.Root, to, flags);

    [Fact]
    public void Rename_File_ReplacesTargetAndFreesIt()
    {
        var a = _w.File("/a", "A");
        var b = _w.File("/b", "B");
        _w.Clock.Advance(10);
        Assert.Equal(0, Rename("/a", "/b"));
        Assert.Equal("A", _w.Read("/b"));
        Assert.Equal(-Errno.ENOENT, _w.Ns.Lookup(_w.Root, "/a", true, out _));
        Assert.True(b.IsEvicted);
        Assert.Equal(a.Ctime, _w.Fs.Root.Mtime);
    }

    [Fact]
    public void Rename_DirectoryAcrossParents_MovesLinkCountsAndParent()
    {
        var x = _w.Dir("/x");
        var y = _w.Dir("/y");
        var d = _w.Dir("/x/d");
        Assert.Equal(0, Rename("/x/d", "/y/d2"));
        Assert.Equal(2u, x.LinkCount);
        Assert.Equal(3u, y.LinkCount);
        Assert.Same(y, d.Parent);
        Assert.Equal("d2", d.NameInParent);
        Assert.Equal(_w.Get("/y"), _w.Get("/y/d2/.."));
    }

    [Fact]
    public void Rename_DirectoryOntoDirectory_OnlyIfEmpty()
    {
        _w.Dir("/a");
        _w.Dir("/b");
        _w.File("/b/f");
        _w.Dir("/c");
        Assert.Equal(-Errno.ENOTEMPTY, Rename("/a", "/b"));
        Assert.Equal(0, Rename("/a", "/c"));
        Assert.Equal(4u, _w.Fs.Root.LinkCount);
    }

    [Fact]
    public void Rename_TypeMismatch_EisdirEnotdir()
    {
        _w.Dir("/d");
        _w.File("/f");
        Assert.Equal(-Errno.EISDIR, Rename("/f", "/d"));
        Assert.Equal(-Errno.ENOTDIR, Rename("/d", "/f"));
        Assert.Equal(-Errno.ENOTDIR, Rename("/f/", "/g"));
        Assert.Equal(-Errno.ENOTDIR, Rename("/f", "/g/"));
        Assert.Equal(0, Rename("/d/", "/e/"));
    }

    [Fact]
    public void Rename_IntoOwnSubtree_EinvalOntoAncestor_Enotempty()
    {
        _w.Dir("/a");
        _w.Dir("/a/b");
        _w.Dir("/a/b/c");
        Assert.Equal(-Errno.EINVAL, Rename("/a", "/a/b/c/a"));
        Assert.Equal(-Errno.EINVAL, Rename("/a/b", "/a/b/c/x"));
        Assert.Equal(-Errno.ENOTEMPTY, Rename("/a/b/c", "/a"));
        Assert.Equal(-Errno.EINVAL, Rename("/a/b/c", "/a", RenameFlags.RENAME_EXCHANGE));
    }

    [Fact]
    public void Rename_SameInode_IsNoOp()
    {
        var f = _w.File("/f");
        _w.Ns.Link(_w.Root, "/f", _w.Root, "/g", false);
        Timestamp c = f.Ctime;
        _w.Clock.Advance(10);
        Assert.Equal(0, Rename("/f", "/g"));
        Assert.Equal(0, Rename("/f", "/f"));
        Assert.Equal(2u, f.LinkCount);
        Assert.Equal(c, f.Ctime);
        Assert.Same(f, _w.Inode("/f"));
    }

    [Fact]
    public void Rename_DotsAndRoot_Ebusy()
    {
        _w.Dir("/d");
        Assert.Equal(-Errno.EBUSY, Rename("/d/.", "/e"));
        Assert.Equal(-Errno.EBUSY, Rename("/d", "/"));
        Assert.Equal(-Errno.EEXIST, Rename("/d", "/..", RenameFlags.RENAME_NOREPLACE));
    }

    [Fact]
    public void Rename_AcrossMounts_Exdev()
    {
        _w.Dir("/mnt");
        _w.File("/f");
        Assert.Equal(0, _w.Tree.Attach(_w.Get("/mnt"), new Tmpfs(_w.Clock, 2), 0, "tmpfs", out _));
        Assert.Equal(-Errno.EXDEV, Rename("/f", "/mnt/f"));
        Assert.Equal(-Errno.EBUSY, Rename("/mnt", "/mnt2"));
    }

    [Fact]
    public void Rename_NoReplace_EexistOrMoves()
    {
        _w.File("/a");
        _w.File("/b");
        Assert.Equal(-Errno.EEXIST, Rename("/a", "/b", RenameFlags.RENAME_NOREPLACE));
        Assert.Equal(0, Rename("/a", "/c", RenameFlags.RENAME_NOREPLACE));
    }

    [Fact]
    public void Rename_Exchange_SwapsFileAndDirectory()
    {
        var x = _w.Dir("/x");
        var d = _w.Dir("/x/d");
        var f = _w.File("/f", "F");
        Assert.Equal(-Errno.ENOENT, Rename("/f", "/missing", RenameFlags.RENAME_EXCHANGE));
        Assert.Equal(0, Rename("/f", "/x/d", RenameFlags.RENAME_EXCHANGE));
        Assert.Same(d, _w.Inode("/f"));
        Assert.Same(f, _w.Inode("/x/d"));
        Assert.Equal(2u, x.LinkCount);
        Assert.Equal(4u, _w.Fs.Root.LinkCount);
        Assert.Same(_w.Fs.Root, d.Parent);
        Assert.Equal("f", d.NameInParent);
    }

    [Fact]
    public void Rename_BadFlags_Einval()
    {
        _w.File("/a");
        Assert.Equal(-Errno.EINVAL, Rename("/a", "/b", RenameFlags.RENAME_EXCHANGE | RenameFlags.RENAME_NOREPLACE));
        Assert.Equal(-Errno.EINVAL, Rename("/a", "/b", 8));
    }

    [Fact]
    public void Rename_DirectoryToNewParent_NeedsWriteOnIt()
    {
        _w.Dir("/p", mode: Oct("777"));
        _w.Dir("/q", mode: Oct("777"));
        _w.Dir("/p/d", mode: Oct("555"), uid: 1000);
        var user = _w.As(1000, 1000);
        Assert.Equal(-Errno.EACCES, _w.Ns.Rename(user, "/p/d", user, "/q/d", 0));
        Assert.Equal(0, _w.Ns.Rename(user, "/p/d", user, "/p/e", 0));
    }

    [Fact]
    public void Rename_StickySource_Eperm()
    {
        _w.Dir("/tmp", mode: Oct("1777"));
        _w.File("/tmp/other", uid: 2000);
        var user = _w.As(1000, 1000);
        Assert.Equal(-Errno.EPERM, _w.Ns.Rename(user, "/tmp/other", user, "/tmp/mine", 0));
    }

    [Fact]
    public void Rename_DirectoryKeepsCursorOrderForOthers()
    {
        var d = _w.Dir("/d");
        _w.File("/d/a");
        _w.File("/d/b");
        Assert.Equal(0, Rename("/d/a", "/d/c"));
        Assert.True(d.ReadAt(0, out DirectoryEntry? e));
        Assert.Equal("b", e!.Name);
    }

    [Fact]
    public void Rename_Whiteout_LeavesACharDeviceZeroZeroAtTheOldName()
    {
        _w.File("/a", "A");
        Assert.Equal(0, Rename("/a", "/b", RenameFlags.RENAME_WHITEOUT));
        Assert.Equal("A", _w.Read("/b"));
        Inode marker = _w.Get("/a").Inode;
        Assert.Equal(FileType.S_IFCHR, marker.Type);
        Assert.Equal(0u, marker.Mode & FileMode.S_IALLUGO);
        Assert.Equal(0ul, marker.RawDevice);
    }

    [Fact]
    public void Rename_WhiteoutFlags_EinvalWithExchangeEpermWithoutCapMknod()
    {
        _w.File("/a");
        _w.File("/b");
        Assert.Equal(-Errno.EINVAL, Rename("/a", "/b", RenameFlags.RENAME_WHITEOUT | RenameFlags.RENAME_EXCHANGE));
        Assert.Equal(-Errno.EINVAL, Rename("/a", "/b", 8));
        Assert.Equal(-Errno.EPERM, _w.Ns.Rename(_w.As(1000, 1000), "/a", _w.As(1000, 1000), "/c", RenameFlags.RENAME_WHITEOUT));
        Assert.Equal(-Errno.EEXIST, Rename("/a", "/b", RenameFlags.RENAME_WHITEOUT | RenameFlags.RENAME_NOREPLACE));
    }
}
