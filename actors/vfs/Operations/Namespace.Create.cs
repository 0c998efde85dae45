// Namespace: making names — mkdir(2), mknod(2), symlink(2), link(2) — in
// filename_create's order: path errors; a last component of ".", ".." or
// "/" is -EEXIST; an existing name is -EEXIST; a trailing slash on anything
// but mkdir is -ENOENT; a read-only mount is -EROFS; then may_create
// (-ENOENT in a removed directory, -EACCES), then each call's own rules.
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Paths;

namespace Kevlar.Vfs.Operations;

public sealed partial class Namespace
{
    /// <summary>
    /// mkdir(2) with <paramref name="mode"/> (umask applied; S_ISVTX and the
    /// rwx bits kept). -EEXIST, -ENOENT, -ENOTDIR, -EACCES, -EROFS, -EMLINK
    /// (the parent has the filesystem's most links), -ENOSPC, -ENAMETOOLONG, -ELOOP.
    /// </summary>
    public int Mkdir(in PathContext ctx, string path, uint mode)
    {
        int r = PrepareCreate(ctx, path, true, out PathParent p, out DirectoryInode dir);
        if (r == 0)
            r = MayCreate(ctx.Credentials, dir);
        if (r == 0 && !ChangesNames(dir))
            r = -Errno.EPERM;
        if (r < 0)
            return r;
        Filesystem fs = dir.Filesystem;
        if (fs.MaxLinks != 0 && dir.LinkCount >= fs.MaxLinks)
            return -Errno.EMLINK;
        uint gid = NewGid(ctx.Credentials, dir);
        uint perm = NewMode(ctx.Credentials, dir, mode & (FileMode.S_IRWXUGO | FileMode.S_ISVTX), gid, true);
        r = fs.NewDirectory(perm, ctx.Credentials.Fsuid, gid, out DirectoryInode? child);
        if (r < 0)
            return r;
        AddName(dir, p.Name, child!);
        IDirectoryHook? hook = fs.DirectoryHook;
        r = hook == null ? 0 : hook.AfterMkdir(dir, p.Name, child!);
        if (r < 0)
            RemoveName(dir, p.Name, child!);
        return r;
    }

    /// <summary>
    /// mknod(2). The type in <paramref name="mode"/> may be S_IFREG (or 0),
    /// S_IFCHR, S_IFBLK, S_IFIFO or S_IFSOCK; S_IFDIR is -EPERM, anything else
    /// -EINVAL; device nodes need CAP_MKNOD (-EPERM). <paramref name="rawDevice"/>
    /// is kept for device nodes. Plus Mkdir's errors (but -ENOENT for a trailing slash).
    /// </summary>
    public int Mknod(in PathContext ctx, string path, uint mode, ulong rawDevice)
    {
        uint type = FileType.Of(mode);
        if (type == 0)
            type = FileType.S_IFREG;
        if (type == FileType.S_IFDIR)
            return -Errno.EPERM;
        if (type != FileType.S_IFREG && type != FileType.S_IFCHR && type != FileType.S_IFBLK
            && type != FileType.S_IFIFO && type != FileType.S_IFSOCK)
            return -Errno.EINVAL;
        int r = PrepareCreate(ctx, path, false, out PathParent p, out DirectoryInode dir);
        if (r == 0)
            r = MayCreate(ctx.Credentials, dir);
        if (r == 0 && !TakesFiles(dir))
            r = -Errno.EPERM;
        if (r < 0)
            return r;
        bool device = type == FileType.S_IFCHR || type == FileType.S_IFBLK;
        if (device && !ctx.Credentials.HasCapability(Capability.CAP_MKNOD))
            return -Errno.EPERM;
        uint gid = NewGid(ctx.Credentials, dir);
        uint perm = NewMode(ctx.Credentials, dir, mode & FileMode.S_IALLUGO, gid, false);
        Inode? child;
        if (type == FileType.S_IFREG)
        {
            r = dir.Filesystem.NewRegular(perm, ctx.Credentials.Fsuid, gid, out RegularInode? file);
            child = file;
        }
        else
        {
            r = dir.Filesystem.NewSpecial(type | perm, ctx.Credentials.Fsuid, gid, device ? rawDevice : 0, out SpecialInode? node);
            child = node;
        }
        if (r < 0)
            return r;
        AddName(dir, p.Name, child!);
        return 0;
    }

    /// <summary>
    /// symlink(2): a link at <paramref name="path"/> holding <paramref name="target"/>.
    /// An empty target is -ENOENT; one of PATH_MAX bytes or more -ENAMETOOLONG.
    /// Plus Mknod's creation errors.
    /// </summary>
    public int Symlink(in PathContext ctx, string target, string path)
    {
        if (target.Length == 0)
            return -Errno.ENOENT;
        if (target.Length >= PathWalk.PathMax)
            return -Errno.ENAMETOOLONG;
        int r = PrepareCreate(ctx, path, false, out PathParent p, out DirectoryInode dir);
        if (r == 0)
            r = MayCreate(ctx.Credentials, dir);
        if (r == 0 && !TakesFiles(dir))
            r = -Errno.EPERM;
        if (r < 0)
            return r;
        r = dir.Filesystem.NewSymlink(ctx.Credentials.Fsuid, NewGid(ctx.Credentials, dir), target, out SymlinkInode? link);
        if (r < 0)
            return r;
        AddName(dir, p.Name, link!);
        return 0;
    }

    /// <summary>
    /// link(2)/linkat(2): a new name <paramref name="newPath"/> for the file at
    /// <paramref name="oldPath"/> (a final symlink followed only when
    /// <paramref name="followOld"/>, AT_SYMLINK_FOLLOW). Errors: the old path's;
    /// the new name's creation errors; -EXDEV across mounts; -EACCES;
    /// -EPERM for a directory; -ENOENT for an inode with no links left;
    /// -EMLINK at the filesystem's link limit.
    /// </summary>
    public int Link(in PathContext from, string oldPath, in PathContext to, string newPath, bool followOld)
    {
        int r = Walk.Resolve(from, oldPath, followOld, out Location old);
        return r < 0 ? r : LinkTo(old, to, newPath);
    }

    /// <summary>
    /// linkat(2) with AT_EMPTY_PATH (or a name already resolved): a new name
    /// <paramref name="newPath"/> for <paramref name="old"/>. An inode without
    /// links is -ENOENT unless it is an O_TMPFILE one opened without O_EXCL.
    /// </summary>
    public int LinkTo(Location old, in PathContext to, string newPath)
    {
        int r = PrepareCreate(to, newPath, false, out PathParent p, out DirectoryInode dir);
        if (r < 0)
            return r;
        if (old.Mount != p.Directory.Mount)
            return -Errno.EXDEV;
        r = MayCreate(to.Credentials, dir);
        if (r == 0 && !TakesFiles(dir))
            r = -Errno.EPERM;
        if (r < 0)
            return r;
        Inode inode = old.Inode;
        if (inode.Filesystem != dir.Filesystem)
            return -Errno.EXDEV;
        if (inode.IsDirectory)
            return -Errno.EPERM;
        if (inode.LinkCount == 0 && !inode.Linkable)
            return -Errno.ENOENT;
        uint max = inode.Filesystem.MaxLinks;
        if (max != 0 && inode.LinkCount >= max)
            return -Errno.EMLINK;
        AddName(dir, p.Name, inode);
        inode.Linkable = false;
        inode.TouchChange();
        return 0;
    }

    /// <summary>filename_create: resolves the parent and checks the new name up to (not including) may_create.</summary>
    private int PrepareCreate(in PathContext ctx, string path, bool isDir, out PathParent p, out DirectoryInode dir)
    {
        dir = null!;
        int r = Walk.ResolveParent(ctx, path, out p);
        if (r < 0)
            return r;
        if (p.Kind != LastKind.Normal)
            return -Errno.EEXIST;
        if (p.Name.Length > Filesystem.NameMax)
            return -Errno.ENAMETOOLONG;
        dir = (DirectoryInode)p.Directory.Inode;
        if (dir.Lookup(p.Name) != null)
            return -Errno.EEXIST;
        if (MissingNameFails(dir))
            return -Errno.ENOENT;
        if (p.TrailingSlash && !isDir)
            return -Errno.ENOENT;
        return p.Directory.Mount.IsReadOnly ? -Errno.EROFS : 0;
    }
}
