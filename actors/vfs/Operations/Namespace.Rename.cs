// Namespace: rename(2)/renameat2(2), in do_renameat2's and vfs_rename's
// order: flags (-EINVAL); both parents resolved; -EXDEV across mounts;
// -EBUSY for a source of ".", ".." or "/" (and such a target, or -EEXIST
// with RENAME_NOREPLACE); -EROFS; the source's lookup (-ENOENT); the
// target's (-EEXIST with NOREPLACE, -ENOENT missing with EXCHANGE); trailing
// slashes on non-directories (-ENOTDIR); moving a directory under itself
// (-EINVAL) or onto an ancestor of the source (-ENOTEMPTY); then, unless
// both names are the same inode (a no-op): may_delete / may_create, write
// permission on a directory that changes parent, -EBUSY for mount points,
// -EMLINK, and -ENOTEMPTY for a non-empty directory target.
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Paths;

namespace Kevlar.Vfs.Operations;

public sealed partial class Namespace
{
    /// <summary>renameat2(2) with RenameFlags (0, RENAME_NOREPLACE or RENAME_EXCHANGE). Errors as this file's header lists.</summary>
    public int Rename(in PathContext from, string oldPath, in PathContext to, string newPath, uint flags)
    {
        bool exchange = (flags & RenameFlags.RENAME_EXCHANGE) != 0;
        bool noReplace = (flags & RenameFlags.RENAME_NOREPLACE) != 0;
        bool whiteout = (flags & RenameFlags.RENAME_WHITEOUT) != 0;
        if ((flags & ~(RenameFlags.RENAME_NOREPLACE | RenameFlags.RENAME_EXCHANGE | RenameFlags.RENAME_WHITEOUT)) != 0
            || (exchange && (noReplace || whiteout)))
            return -Errno.EINVAL;
        if (whiteout && !from.Credentials.HasCapability(Capability.CAP_MKNOD))
            return -Errno.EPERM;
        int r = Walk.ResolveParent(from, oldPath, out PathParent op);
        if (r < 0)
            return r;
        r = Walk.ResolveParent(to, newPath, out PathParent np);
        if (r < 0)
            return r;
        if (op.Directory.Mount != np.Directory.Mount)
            return -Errno.EXDEV;
        if (op.Kind != LastKind.Normal)
            return -Errno.EBUSY;
        if (np.Kind != LastKind.Normal)
            return noReplace ? -Errno.EEXIST : -Errno.EBUSY;
        r = LookupVictim(op, out DirectoryInode oldDir, out Inode? source);
        if (r < 0)
            return r;
        if (np.Name.Length > Filesystem.NameMax)
            return -Errno.ENAMETOOLONG;
        var newDir = (DirectoryInode)np.Directory.Inode;
        Inode? target = newDir.Lookup(np.Name);
        if (target == null && MissingNameFails(newDir))
            return -Errno.ENOENT;
        r = CheckNames(op, np, source!, target, exchange, noReplace, oldDir, newDir);
        if (r < 0 || source == target)
            return r;
        r = MayRename(from.Credentials, op, np, oldDir, newDir, source!, target, exchange);
        if (r < 0)
            return r;
        // RENAME_WHITEOUT (tmpfs's shmem_whiteout): the old name becomes a char device 0:0, as
        // overlayfs uses it; made first, so -ENOSPC leaves the rename undone.
        SpecialInode? marker = null;
        if (whiteout)
        {
            if (oldDir.Filesystem.Magic != Tmpfs.TMPFS_MAGIC)
                return -Errno.EINVAL;
            r = oldDir.Filesystem.NewSpecial(FileType.S_IFCHR, from.Credentials.Fsuid, NewGid(from.Credentials, oldDir), 0, out marker);
            if (r < 0)
                return r;
        }
        if (exchange)
            Exchange(oldDir, op.Name, source!, newDir, np.Name, target!);
        else
            Move(oldDir, op.Name, source!, newDir, np.Name, target);
        if (marker != null)
            AddName(oldDir, op.Name, marker);
        return 0;
    }

    /// <summary>The lookup-time checks: existence per flags, trailing slashes, and the ancestor traps.</summary>
    private static int CheckNames(in PathParent op, in PathParent np, Inode source, Inode? target, bool exchange,
        bool noReplace, DirectoryInode oldDir, DirectoryInode newDir)
    {
        if (noReplace && target != null)
            return -Errno.EEXIST;
        if (exchange && target == null)
            return -Errno.ENOENT;
        if (exchange && !target!.IsDirectory && np.TrailingSlash)
            return -Errno.ENOTDIR;
        if (!source.IsDirectory && (op.TrailingSlash || (!exchange && np.TrailingSlash)))
            return -Errno.ENOTDIR;
        if (oldDir == newDir)
            return 0;
        if (ChildToward(oldDir, newDir) == source)
            return -Errno.EINVAL;
        if (target != null && ChildToward(newDir, oldDir) == target)
            return exchange ? -Errno.EINVAL : -Errno.ENOTEMPTY;
        return 0;
    }

    /// <summary>vfs_rename's permission and state checks.</summary>
    private int MayRename(Credentials cred, in PathParent op, in PathParent np, DirectoryInode oldDir,
        DirectoryInode newDir, Inode source, Inode? target, bool exchange)
    {
        bool isDir = source.IsDirectory;
        bool newIsDir = target != null && target.IsDirectory;
        int r = MayDelete(cred, oldDir, source, isDir);
        if (r == 0)
            r = target == null ? MayCreate(cred, newDir) : MayDelete(cred, newDir, target, exchange ? newIsDir : isDir);
        if (r == 0 && oldDir != newDir && isDir)
            r = Permission.Check(cred, source, FileMode.MAY_WRITE);
        if (r == 0 && oldDir != newDir && exchange && newIsDir)
            r = Permission.Check(cred, target!, FileMode.MAY_WRITE);
        if (r == 0 && !ChangesNames(oldDir))
            r = -Errno.EPERM;
        if (r < 0)
            return r;
        if (op.Directory.Mount.Tree.IsMountpoint(op.Directory.Mount, source) || (target != null && np.Directory.Mount.Tree.IsMountpoint(np.Directory.Mount, target)))
            return -Errno.EBUSY;
        uint max = oldDir.Filesystem.MaxLinks;
        if (max != 0 && oldDir != newDir)
        {
            if (isDir && !newIsDir && newDir.LinkCount >= max)
                return -Errno.EMLINK;
            if (exchange && !isDir && newIsDir && oldDir.LinkCount >= max)
                return -Errno.EMLINK;
        }
        if (!exchange && newIsDir && !((DirectoryInode)target!).IsEmpty)
            return -Errno.ENOTEMPTY;
        return 0;
    }

    /// <summary>shmem_rename2 without flags: the target (if any) is unlinked, then the source's name moves.</summary>
    private static void Move(DirectoryInode oldDir, string oldName, Inode source, DirectoryInode newDir, string newName, Inode? target)
    {
        if (target != null)
        {
            newDir.Remove(newName);
            target.TouchChange();
            if (target.IsDirectory)
            {
                target.LinkCount = 0;
                oldDir.LinkCount--;
            }
            else
            {
                target.LinkCount--;
            }
        }
        else if (source.IsDirectory)
        {
            oldDir.LinkCount--;
            newDir.LinkCount++;
        }
        oldDir.Remove(oldName);
        newDir.Insert(newName, source);
        if (source is DirectoryInode dir)
        {
            dir.Parent = newDir;
            dir.NameInParent = newName;
        }
        TouchRename(oldDir, newDir, source, null);
        target?.EvictIfUnused();
    }

    /// <summary>simple_rename_exchange: the two names swap inodes, keeping their positions.</summary>
    private static void Exchange(DirectoryInode oldDir, string oldName, Inode source, DirectoryInode newDir, string newName, Inode target)
    {
        oldDir.Replace(oldName, target);
        newDir.Replace(newName, source);
        if (oldDir != newDir && source.IsDirectory != target.IsDirectory)
        {
            DirectoryInode gains = source.IsDirectory ? newDir : oldDir;
            DirectoryInode loses = source.IsDirectory ? oldDir : newDir;
            loses.LinkCount--;
            gains.LinkCount++;
        }
        if (source is DirectoryInode s)
        {
            s.Parent = newDir;
            s.NameInParent = newName;
        }
        if (target is DirectoryInode t)
        {
            t.Parent = oldDir;
            t.NameInParent = oldName;
        }
        TouchRename(oldDir, newDir, source, target);
    }

    /// <summary>simple_rename_timestamp: both directories' mtime and ctime, and the inodes' ctime.</summary>
    private static void TouchRename(DirectoryInode oldDir, DirectoryInode newDir, Inode source, Inode? target)
    {
        oldDir.TouchModify();
        if (newDir != oldDir)
            newDir.TouchModify();
        source.TouchChange();
        target?.TouchChange();
    }

    /// <summary>The child of <paramref name="ancestor"/> on the way up from <paramref name="dir"/>, or null when <paramref name="ancestor"/> is not a proper ancestor (lock_rename's trap).</summary>
    private static DirectoryInode? ChildToward(DirectoryInode ancestor, DirectoryInode dir)
    {
        while (dir.Parent != dir)
        {
            if (dir.Parent == ancestor)
                return dir;
            dir = dir.Parent;
        }
        return null;
    }
}
