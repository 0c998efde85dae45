// ExecutableFile: execve's look at the file it runs, on the VfsActor's CPU:
// the path resolved with every symlink followed, then the checks Linux makes
// before reading (fs/exec.c do_open_execat, may_open): -EACCES for anything
// but a regular file, for a noexec mount, or without execute permission
// (root needs one execute bit), and the bytes — or, when exec's image cache
// holds the file as it is now, that image instead (nothing read).
using Kevlar.Vfs;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Operations;
using Kevlar.Vfs.Paths;

namespace Kevlar.Process.Files.Vfs;

public static class ExecutableFile
{
    /// <summary>0 with the file's contents and its absolute path (symlinks resolved, as
    /// /proc/self/exe shows it), or -errno.</summary>
    public static int Read(Namespace ns, in PathContext ctx, string path, out byte[] contents, out string absolute, out FileIdentity identity)
        => Read(ns, ctx, path, null, out contents, out absolute, out identity, out _);

    /// <summary>As Read, with exec's image cache: a cached image of the file as it is now comes
    /// back acquired in <paramref name="source"/> (the caller releases it) and nothing is read;
    /// otherwise the contents, and the file and version an image made of them is cached under.</summary>
    public static int Read(Namespace ns, in PathContext ctx, string path, Exec.ExecImageCache? cache, out byte[] contents,
        out string absolute, out FileIdentity identity, out ExecSource source)
    {
        contents = new byte[0];
        absolute = path;
        identity = default;
        source = default;
        int r = ns.Lookup(ctx, path, true, out Location at);
        if (r != 0) return r;
        var file = at.Inode as RegularInode;
        if (file == null) return -Errno.EACCES;
        if ((at.Mount.Flags & MountFlags.MS_NOEXEC) != 0) return -Errno.EACCES;
        r = Permission.Check(ctx.Credentials, file, FileMode.MAY_EXEC);
        if (r != 0) return r;
        if (file.Size > int.MaxValue) return -Errno.ENOEXEC;
        identity = new FileIdentity(file.Filesystem.Device, file.Number);
        absolute = AbsolutePath(ns, ctx, path);
        Exec.ExecImage? cached = cache?.Acquire(file);
        source = new ExecSource(file, file.ContentVersion, cached);
        if (cached != null) return 0;
        contents = new byte[(int)file.Size];
        file.Read(0, contents);
        return 0;
    }

    // The directory part resolved to its path, then the last name; a last name that is a
    // symlink is followed the same way (a resolved lookup already succeeded, so this ends).
    private static string AbsolutePath(Namespace ns, in PathContext ctx, string path)
    {
        PathContext at = ctx;
        for (int links = 0; links <= PathWalk.MaxSymlinks; links++)
        {
            if (ns.Walk.ResolveParent(at, path, out PathParent parent) != 0) break;
            if (ns.Mounts.PathOf(parent.Directory, ctx.Root, out string dir) != 0) break;
            if (parent.Kind != LastKind.Normal) return dir;
            if (ns.Walk.Step(at, parent.Directory, parent.Name, false, ref links, out Location last) != 0) break;
            if (last.Inode is SymlinkInode link)
            {
                at = ctx.At(parent.Directory);
                path = link.Target;
                continue;
            }
            return dir == "/" ? string.Concat("/", parent.Name) : string.Concat(dir, "/", parent.Name);
        }
        return path;
    }
}

/// <summary>Where exec's image comes from: the file and the ContentVersion its bytes were read
/// at (an image made of them is cached under these), or a cached image (acquired).</summary>
public readonly struct ExecSource
{
    public ExecSource(RegularInode file, int version, Exec.ExecImage? cached)
    {
        File = file;
        Version = version;
        Cached = cached;
    }

    public RegularInode? File { get; }
    public int Version { get; }
    public Exec.ExecImage? Cached { get; }
}

/// <summary>A file's st_dev and st_ino, as /proc/pid/maps shows them for an executable's mappings.</summary>
public readonly struct FileIdentity
{
    public FileIdentity(ulong device, ulong inode)
    {
        Device = device;
        Inode = inode;
    }

    public ulong Device { get; }
    public ulong Inode { get; }
}
