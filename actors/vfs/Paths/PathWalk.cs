// PathWalk: path resolution as path_resolution(7) and fs/namei.c describe it.
//
// For each component, in order: the current place must be a directory
// (-ENOTDIR), the caller must be allowed to search it (-EACCES), then the
// component moves: "." stays; ".." goes to the parent, stopping at the
// process root, and from a mount's root first to the directory it covers;
// a name is looked up (-ENOENT; -ENAMETOOLONG over NAME_MAX bytes) and any
// mounts on the result are crossed. A symlink met in the middle of a path,
// or at its end when following or when a slash follows it, is replaced by
// its target: relative targets resolve from the link's directory, absolute
// ones from the process root; more than 40 links in one resolution is
// -ELOOP; a magic link (SymlinkInode.Jump) leads to its destination instead.
// Paths are 1..4095 bytes (-ENOENT empty, -ENAMETOOLONG longer).
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Mounts;

namespace Kevlar.Vfs.Paths;

/// <summary>Resolves path strings to locations; mounts are crossed in the tree of the mount walked through (a process's mount namespace is the tree its root is in).</summary>
public sealed class PathWalk
{
    /// <summary>Longest path plus its NUL (PATH_MAX).</summary>
    public const int PathMax = 4096;
    /// <summary>Most symlinks followed in one resolution (MAXSYMLINKS).</summary>
    public const int MaxSymlinks = 40;

    /// <summary>
    /// Resolves <paramref name="path"/> to a location. A final symlink is
    /// followed when <paramref name="followLast"/> or a slash follows it.
    /// 0 or -ENOENT, -ENOTDIR, -EACCES, -ELOOP, -ENAMETOOLONG.
    /// </summary>
    public int Resolve(in PathContext ctx, string path, bool followLast, out Location result)
    {
        int links = 0;
        return Resolve(ctx, path, followLast, ref links, out result);
    }

    /// <summary>
    /// Resolves all of <paramref name="path"/> but its last component, which is
    /// returned unresolved (a final symlink is not followed). Search
    /// permission on the returned directory has been checked. A generated
    /// directory (procfs) has made the last name if it has one, so the caller's
    /// own lookup of it (unlink, rename, O_CREAT) sees what a walk would.
    /// </summary>
    public int ResolveParent(in PathContext ctx, string path, out PathParent parent)
    {
        int links = 0;
        int r = WalkToLast(ctx, path, ref links, out parent);
        if (r == 0 && parent.Kind == LastKind.Normal && parent.Name.Length <= Filesystem.NameMax)
        {
            var directory = (DirectoryInode)parent.Directory.Inode;
            directory.Filesystem.LookupHook?.BeforeLookup(directory, parent.Name, ctx);
        }
        return r;
    }

    /// <summary>Looks <paramref name="name"/> up in <paramref name="dir"/> and crosses mounts on it; also follows a symlink when asked. The caller checked search permission.</summary>
    public int Step(in PathContext ctx, Location dir, string name, bool follow, ref int links, out Location result)
    {
        result = dir;
        if (name.Length > Filesystem.NameMax)
            return -Errno.ENAMETOOLONG;
        var directory = (DirectoryInode)dir.Inode;
        directory.Filesystem.LookupHook?.BeforeLookup(directory, name, ctx);
        Inode? child = directory.Lookup(name);
        if (child == null)
            return -Errno.ENOENT;
        result = dir.Mount.Tree.Cross(new Location(dir.Mount, child));
        if (!follow || result.Inode is not SymlinkInode link)
            return 0;
        if (++links > MaxSymlinks)
            return -Errno.ELOOP;
        if (link.Jump is Location jump)
        {
            result = jump;
            return 0;
        }
        Location from = link.Target[0] == '/' ? ctx.Root : dir;
        return Resolve(ctx.At(from), link.Target, true, ref links, out result);
    }

    /// <summary>".." from <paramref name="at"/>: the root stays; a mount root goes to the covered directory's parent.</summary>
    public Location Up(in PathContext ctx, Location at)
    {
        // A lazily unmounted tree has no parent any more (Linux's mnt_has_parent): ".." stays at
        // its top, or a process left inside would walk back out into the tree it was taken from.
        while (at != ctx.Root && at.IsMountRoot && at.Mount.Parent != null && !at.Mount.Detached)
            at = new Location(at.Mount.Parent, at.Mount.Mountpoint!);
        if (at == ctx.Root || at.IsMountRoot)
            return at;
        return at.Mount.Tree.Cross(new Location(at.Mount, ((DirectoryInode)at.Inode).Parent));
    }

    private int Resolve(in PathContext ctx, string path, bool followLast, ref int links, out Location result)
    {
        int r = WalkToLast(ctx, path, ref links, out PathParent last);
        result = last.Directory;
        if (r < 0)
            return r;
        switch (last.Kind)
        {
            case LastKind.Root:
            case LastKind.Dot:
                break;
            case LastKind.DotDot:
                result = Up(ctx, last.Directory);
                break;
            default:
                r = Step(ctx, last.Directory, last.Name, followLast || last.TrailingSlash, ref links, out result);
                if (r < 0)
                    return r;
                break;
        }
        return last.TrailingSlash && !result.Inode.IsDirectory ? -Errno.ENOTDIR : 0;
    }

    /// <summary>Walks every component but the last; symlinks among them are followed.</summary>
    private int WalkToLast(in PathContext ctx, string path, ref int links, out PathParent parent)
    {
        parent = new PathParent(ctx.Start, "", LastKind.Root, false);
        if (path.Length == 0)
            return -Errno.ENOENT;
        if (path.Length >= PathMax)
            return -Errno.ENAMETOOLONG;
        Location at = path[0] == '/' ? ctx.Root : ctx.Start;
        int pos = 0;
        while (true)
        {
            while (pos < path.Length && path[pos] == '/')
                pos++;
            if (pos == path.Length)
            {
                parent = new PathParent(at, "", LastKind.Root, false);
                return at.Inode.IsDirectory ? 0 : -Errno.ENOTDIR;
            }
            int end = path.IndexOf('/', pos);
            if (end < 0)
                end = path.Length;
            string name = path.Substring(pos, end - pos);
            if (!at.Inode.IsDirectory)
                return -Errno.ENOTDIR;
            int r = Permission.Check(ctx.Credentials, at.Inode, FileMode.MAY_EXEC);
            if (r < 0)
                return r;
            pos = end;
            while (pos < path.Length && path[pos] == '/')
                pos++;
            if (pos == path.Length)
            {
                parent = new PathParent(at, name, KindOf(name), end < path.Length);
                return 0;
            }
            if (name == "..")
                at = Up(ctx, at);
            else if (name != ".")
            {
                r = Step(ctx, at, name, true, ref links, out at);
                if (r < 0)
                    return r;
            }
        }
    }

    private static LastKind KindOf(string name)
        => name == "." ? LastKind.Dot : name == ".." ? LastKind.DotDot : LastKind.Normal;
}
