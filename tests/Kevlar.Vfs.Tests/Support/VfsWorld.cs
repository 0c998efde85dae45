// VfsWorld: a tmpfs mounted as the root of a mount tree, a Namespace over
// it, a fake clock, and helpers to make files and contexts for tests.
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Operations;
using Kevlar.Vfs.Paths;
using Xunit;

namespace Kevlar.Vfs.Tests.Support;

public sealed class VfsWorld
{
    public VfsWorld(TmpfsOptions? options = null)
    {
        Fs = new Tmpfs(Clock, 1, options);
        Tree = new MountTree(Fs, "rootfs");
        Ns = new Namespace(Tree);
    }

    public FakeClock Clock { get; } = new FakeClock();
    public Tmpfs Fs { get; }
    public MountTree Tree { get; }
    public Namespace Ns { get; }

    /// <summary>Root, at the tree's root.</summary>
    public PathContext Root => new PathContext(Credentials.Root, Tree.Root, Tree.Root);

    /// <summary>A non-root caller at the tree's root.</summary>
    public PathContext As(uint uid, uint gid, params uint[] groups)
        => new PathContext(new Credentials(uid, gid, groups), Tree.Root, Tree.Root);

    /// <summary>The location of <paramref name="path"/>, which must resolve.</summary>
    public Location Get(string path, bool follow = true)
    {
        int r = Ns.Lookup(Root, path, follow, out Location at);
        Assert.True(r == 0, "lookup " + path + " gave " + r);
        return at;
    }

    public Inode Inode(string path, bool follow = true) => Get(path, follow).Inode;

    /// <summary>Creates a regular file as root with <paramref name="content"/>, then sets its owner.</summary>
    public RegularInode File(string path, string content = "", uint mode = 0x1A4, uint uid = 0, uint gid = 0)
    {
        int r = Ns.Open(Root, path, VfsOpenFlags.O_CREAT | VfsOpenFlags.O_WRONLY | VfsOpenFlags.O_EXCL, mode, out Location at);
        Assert.True(r == 0, "create " + path + " gave " + r);
        var file = (RegularInode)at.Inode;
        file.Write(0, System.Text.Encoding.Latin1.GetBytes(content));
        Assert.Equal(0, Namespace.Chown(Credentials.Root, at, uid, gid));
        Assert.Equal(0, Namespace.Chmod(Credentials.Root, at, mode));
        file.Release();
        return file;
    }

    /// <summary>Creates a directory as root, then sets its owner and mode (octal helpers: see Oct).</summary>
    public DirectoryInode Dir(string path, uint mode = 0x1ED, uint uid = 0, uint gid = 0)
    {
        int r = Ns.Mkdir(Root, path, mode);
        Assert.True(r == 0, "mkdir " + path + " gave " + r);
        Location at = Get(path);
        Assert.Equal(0, Namespace.Chown(Credentials.Root, at, uid, gid));
        Assert.Equal(0, Namespace.Chmod(Credentials.Root, at, mode));
        return (DirectoryInode)at.Inode;
    }

    /// <summary>An octal literal: Oct("755").</summary>
    public static uint Oct(string digits) => Convert.ToUInt32(digits, 8);

    /// <summary>The whole contents of a regular file.</summary>
    public string Read(string path)
    {
        var file = (RegularInode)Inode(path);
        var buffer = new byte[file.Size];
        file.Read(0, buffer);
        return System.Text.Encoding.Latin1.GetString(buffer);
    }
}
