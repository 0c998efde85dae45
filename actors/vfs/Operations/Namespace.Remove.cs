// Namespace: removing names — unlink(2) and rmdir(2) — in do_unlinkat's and
// do_rmdir's order: path errors; the last component's kind; -EROFS; the
// name's lookup (-ENOENT); may_delete (-EACCES, sticky -EPERM, type);
// -EBUSY for a mount point; for rmdir, -ENOTEMPTY.
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Paths;

namespace Kevlar.Vfs.Operations;

public sealed partial class Namespace
{
    /// <summary>
    /// unlink(2). A last component of ".", ".." or "/" and a directory are
    /// -EISDIR; a trailing slash after a non-directory is -ENOTDIR. Also
    /// -ENOENT, -EACCES, -EPERM (sticky), -EROFS, -EBUSY (mount point).
    /// </summary>
    public int Unlink(in PathContext ctx, string path)
    {
        int r = Walk.ResolveParent(ctx, path, out PathParent p);
        if (r < 0)
            return r;
        if (p.Kind != LastKind.Normal)
            return -Errno.EISDIR;
        r = LookupVictim(p, out DirectoryInode dir, out Inode? victim);
        if (r < 0)
            return r;
        if (p.TrailingSlash)
            return victim!.IsDirectory ? -Errno.EISDIR : -Errno.ENOTDIR;
        r = MayDelete(ctx.Credentials, dir, victim!, false);
        if (r == 0 && !TakesFiles(dir)) // kernel-made names; cgroup2's control files (kernfs: no unlink)
            r = -Errno.EPERM;
        if (r < 0)
            return r;
        if (p.Directory.Mount.Tree.IsMountpoint(p.Directory.Mount, victim!))
            return -Errno.EBUSY;
        RemoveName(dir, p.Name, victim!);
        return 0;
    }

    /// <summary>
    /// rmdir(2). Last component ".." is -ENOTEMPTY, "." -EINVAL, "/" -EBUSY; a
    /// mount point is -EBUSY; a directory with entries -ENOTEMPTY; a
    /// non-directory -ENOTDIR. Also -ENOENT, -EACCES, -EPERM (sticky), -EROFS.
    /// </summary>
    public int Rmdir(in PathContext ctx, string path)
    {
        int r = Walk.ResolveParent(ctx, path, out PathParent p);
        if (r < 0)
            return r;
        if (p.Kind == LastKind.DotDot)
            return -Errno.ENOTEMPTY;
        if (p.Kind == LastKind.Dot)
            return -Errno.EINVAL;
        if (p.Kind == LastKind.Root)
            return -Errno.EBUSY;
        r = LookupVictim(p, out DirectoryInode dir, out Inode? victim);
        if (r == 0)
            r = MayDelete(ctx.Credentials, dir, victim!, true);
        if (r == 0 && !ChangesNames(dir))
            r = -Errno.EPERM;
        if (r < 0)
            return r;
        if (p.Directory.Mount.Tree.IsMountpoint(p.Directory.Mount, victim!))
            return -Errno.EBUSY;
        IDirectoryHook? hook = victim!.Filesystem.DirectoryHook;
        r = hook == null ? 0 : hook.BeforeRmdir((DirectoryInode)victim!);
        if (r < 0)
            return r;
        if (!((DirectoryInode)victim!).IsEmpty)
            return -Errno.ENOTEMPTY;
        RemoveName(dir, p.Name, victim!);
        return 0;
    }

    /// <summary>-EROFS on a read-only mount, -ENAMETOOLONG, -ENOENT; else the directory and the inode the name holds.</summary>
    private static int LookupVictim(in PathParent p, out DirectoryInode dir, out Inode? victim)
    {
        dir = (DirectoryInode)p.Directory.Inode;
        victim = null;
        if (p.Directory.Mount.IsReadOnly)
            return -Errno.EROFS;
        if (p.Name.Length > Filesystem.NameMax)
            return -Errno.ENAMETOOLONG;
        victim = dir.Lookup(p.Name);
        return victim == null ? -Errno.ENOENT : 0;
    }
}
