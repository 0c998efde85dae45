// Namespace: open(2) with O_TMPFILE (fs/namei.c do_tmpfile, vfs_tmpfile):
// an unnamed regular file in the directory the path names. The caller has
// checked the flags (O_TMPFILE needs write access and no O_CREAT). Errors in
// Linux's order: the path's, -ENOTDIR, -EROFS, may_create's, -EOPNOTSUPP on a
// filesystem that cannot hold one (only tmpfs-backed ones can), -ENOSPC.
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Paths;

namespace Kevlar.Vfs.Operations;

public sealed partial class Namespace
{
    /// <summary>
    /// O_TMPFILE: a new regular file with no name and LinkCount 0, in the
    /// filesystem of directory <paramref name="path"/>, Acquired for the new
    /// description (it is freed at the last close unless linkat names it).
    /// <paramref name="linkable"/> is false for O_EXCL, which forbids naming it.
    /// </summary>
    public int OpenTmpfile(in PathContext ctx, string path, uint mode, bool linkable, out Location result)
    {
        result = default;
        int r = Walk.Resolve(ctx, path, true, out Location at);
        if (r < 0)
            return r;
        if (at.Inode is not DirectoryInode dir)
            return -Errno.ENOTDIR;
        if (at.Mount.IsReadOnly || dir.Filesystem.ReadOnly)
            return -Errno.EROFS;
        r = MayCreate(ctx.Credentials, dir);
        if (r < 0)
            return r;
        if (dir.Filesystem.Magic != Tmpfs.TMPFS_MAGIC)
            return -Errno.EOPNOTSUPP;
        uint gid = NewGid(ctx.Credentials, dir);
        uint perm = NewMode(ctx.Credentials, dir, mode & FileMode.S_IALLUGO, gid, false);
        r = dir.Filesystem.NewRegular(perm, ctx.Credentials.Fsuid, gid, out RegularInode? file);
        if (r < 0)
            return r;
        file!.Linkable = linkable;
        file.Acquire();
        result = new Location(at.Mount, file);
        return 0;
    }
}
