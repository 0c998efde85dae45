// Namespace: open(2)'s checks (fs/namei.c path_openat, open_last_lookups,
// do_open, may_open). Without O_CREAT the path is resolved (the final
// symlink followed unless O_NOFOLLOW). With O_CREAT the last name is looked
// up in its directory: a trailing slash is -EISDIR; an existing name is
// -EEXIST with O_EXCL (even a dangling symlink); an existing symlink is
// followed (up to 40) and its target created if missing; a missing name is
// created (-EROFS, may_create). Then: -EISDIR for O_CREAT on a directory,
// -ENOTDIR for O_DIRECTORY on a non-directory, -ELOOP for a symlink
// (O_NOFOLLOW), -EISDIR for writing a directory, -EACCES for a device on a
// nodev mount or missing permission, -EROFS for writing a non-device on a
// read-only mount, and O_TRUNC empties an existing regular file.
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Paths;

namespace Kevlar.Vfs.Operations;

public sealed partial class Namespace
{
    /// <summary>
    /// open(2) with VfsOpenFlags and <paramref name="mode"/> (umask applied)
    /// for a created file. On success the inode has been Acquired for the new
    /// open file description: the caller Releases it when the description
    /// closes. O_CREAT with O_DIRECTORY is -EINVAL.
    /// </summary>
    public int Open(in PathContext ctx, string path, int flags, uint mode, out Location result)
    {
        result = default;
        bool create = (flags & VfsOpenFlags.O_CREAT) != 0;
        if (create && (flags & VfsOpenFlags.O_DIRECTORY) != 0)
            return -Errno.EINVAL;
        bool follow = (flags & VfsOpenFlags.O_NOFOLLOW) == 0;
        bool created = false;
        int r = create ? OpenCreate(ctx, path, flags, mode, out result, out created)
                       : Walk.Resolve(ctx, path, follow, out result);
        if (r < 0)
            return r;
        if (create && result.Inode.IsDirectory)
            return -Errno.EISDIR;
        if ((flags & VfsOpenFlags.O_DIRECTORY) != 0 && !result.Inode.IsDirectory)
            return -Errno.ENOTDIR;
        if (!created)
        {
            r = MayOpen(ctx.Credentials, result, flags);
            if (r < 0)
                return r;
            // A user's O_TRUNC leaves a generated file as it is; its owner's empties it to write anew.
            if ((flags & VfsOpenFlags.O_TRUNC) != 0 && result.Inode is RegularInode file)
            {
                if (EditsKernelNames) file.Truncate(0, true);
                else SetSize(file, 0);
            }
        }
        result.Inode.Acquire();
        return 0;
    }

    /// <summary>The MAY_* mask an open with <paramref name="flags"/> needs (O_TRUNC needs write).</summary>
    public static int AccessMask(int flags)
    {
        int acc = flags & VfsOpenFlags.O_ACCMODE;
        int mask = acc == VfsOpenFlags.O_RDONLY ? FileMode.MAY_READ
                 : acc == VfsOpenFlags.O_WRONLY ? FileMode.MAY_WRITE
                 : FileMode.MAY_READ | FileMode.MAY_WRITE;
        if ((flags & VfsOpenFlags.O_TRUNC) != 0)
            mask |= FileMode.MAY_WRITE;
        return mask;
    }

    /// <summary>may_open plus the read-only checks, for a file that already existed.</summary>
    private static int MayOpen(Credentials cred, Location at, int flags)
    {
        Inode inode = at.Inode;
        int mask = AccessMask(flags);
        bool write = (mask & FileMode.MAY_WRITE) != 0;
        uint type = inode.Type;
        bool device = type == FileType.S_IFCHR || type == FileType.S_IFBLK;
        bool special = device || type == FileType.S_IFIFO || type == FileType.S_IFSOCK;
        if (type == FileType.S_IFLNK)
            return -Errno.ELOOP;
        if (type == FileType.S_IFDIR && write)
            return -Errno.EISDIR;
        if (type == FileType.S_IFREG && (flags & VfsOpenFlags.O_TRUNC) != 0 && at.Mount.IsReadOnly)
            return -Errno.EROFS;
        if (device && (at.Mount.Flags & MountFlags.MS_NODEV) != 0)
            return -Errno.EACCES;
        if (write && !special && inode.Filesystem.ReadOnly)
            return -Errno.EROFS;
        int r = Permission.Check(cred, inode, mask);
        if (r < 0)
            return r;
        if (write && type == FileType.S_IFREG && inode.Filesystem.RefusesWriteOpens)
            return -Errno.EACCES;
        return write && !special && at.Mount.IsReadOnly ? -Errno.EROFS : 0;
    }

    /// <summary>O_CREAT: finds or creates the last name, following symlinks at the end unless O_NOFOLLOW.</summary>
    private int OpenCreate(in PathContext ctx, string path, int flags, uint mode, out Location result, out bool created)
    {
        created = false;
        result = default;
        bool follow = (flags & VfsOpenFlags.O_NOFOLLOW) == 0;
        bool exclusive = (flags & VfsOpenFlags.O_EXCL) != 0;
        PathContext at = ctx;
        int links = 0;
        while (true)
        {
            int r = Walk.ResolveParent(at, path, out PathParent p);
            if (r < 0)
                return r;
            if (p.Kind != LastKind.Normal)
            {
                result = p.Kind == LastKind.DotDot ? Walk.Up(at, p.Directory) : p.Directory;
                return exclusive ? -Errno.EEXIST : 0;
            }
            if (p.TrailingSlash)
                return -Errno.EISDIR;
            if (p.Name.Length > Kevlar.Vfs.Filesystems.Filesystem.NameMax)
                return -Errno.ENAMETOOLONG;
            var dir = (DirectoryInode)p.Directory.Inode;
            Inode? existing = dir.Lookup(p.Name);
            if (existing == null)
            {
                if (MissingNameFails(dir))
                    return -Errno.ENOENT;
                r = CreateRegular(at.Credentials, p, dir, mode, out result);
                created = r == 0;
                return r;
            }
            if (exclusive)
                return -Errno.EEXIST;
            result = p.Directory.Mount.Tree.Cross(new Location(p.Directory.Mount, existing));
            if (!follow || result.Inode is not SymlinkInode link)
                return 0;
            if (++links > PathWalk.MaxSymlinks)
                return -Errno.ELOOP;
            if (link.Jump is Location jump)
            {
                result = jump;
                return 0;
            }
            at = ctx.At(link.Target[0] == '/' ? ctx.Root : p.Directory);
            path = link.Target;
        }
    }

    /// <summary>Creates an empty regular file for O_CREAT: -EROFS, then may_create's errors, then -ENOSPC.</summary>
    private int CreateRegular(Credentials cred, in PathParent p, DirectoryInode dir, uint mode, out Location result)
    {
        result = default;
        if (p.Directory.Mount.IsReadOnly)
            return -Errno.EROFS;
        int r = MayCreate(cred, dir);
        if (r == 0 && !TakesFiles(dir))
            r = -Errno.EACCES;
        if (r < 0)
            return r;
        uint gid = NewGid(cred, dir);
        uint perm = NewMode(cred, dir, mode & FileMode.S_IALLUGO, gid, false);
        r = dir.Filesystem.NewRegular(perm, cred.Fsuid, gid, out RegularInode? file);
        if (r < 0)
            return r;
        AddName(dir, p.Name, file!);
        result = new Location(p.Directory.Mount, file!);
        return 0;
    }
}
