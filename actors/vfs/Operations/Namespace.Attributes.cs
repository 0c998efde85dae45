// Namespace: changing and reading attributes of a resolved file — chmod,
// chown, utimensat, truncate, readlink — and writing with privilege
// removal, as fs/attr.c (setattr_prepare, notify_change), fs/open.c and
// fs/utimes.c do. Each changes ctime; -EROFS on a read-only mount comes
// before the permission checks, as mnt_want_write does.
using System;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Paths;

namespace Kevlar.Vfs.Operations;

public sealed partial class Namespace
{
    /// <summary>The "unchanged" value of a chown id (-1).</summary>
    public const uint NoChange = uint.MaxValue;

    /// <summary>
    /// chmod(2): only the owner or CAP_FOWNER (-EPERM); S_ISGID is dropped when
    /// the caller is not in the file's group and lacks CAP_FSETID. -EROFS.
    /// </summary>
    public static int Chmod(Credentials cred, Location at, uint mode)
    {
        Inode inode = at.Inode;
        if (at.Mount.IsReadOnly)
            return -Errno.EROFS;
        if (!Permission.IsOwnerOrCapable(cred, inode))
            return -Errno.EPERM;
        mode &= FileMode.S_IALLUGO;
        if (!cred.InGroup(inode.Gid) && !cred.HasCapability(Capability.CAP_FSETID))
            mode &= ~FileMode.S_ISGID;
        inode.Mode = inode.Type | mode;
        inode.TouchChange();
        return 0;
    }

    /// <summary>
    /// chown(2) with NoChange for an id left alone. Changing the owner needs
    /// CAP_CHOWN; the owner may set the group to one they are in. -EPERM
    /// otherwise; -EROFS. On a non-directory S_ISUID is cleared, and S_ISGID
    /// when group-executable, whoever calls.
    /// </summary>
    public static int Chown(Credentials cred, Location at, uint uid, uint gid)
    {
        Inode inode = at.Inode;
        if (at.Mount.IsReadOnly)
            return -Errno.EROFS;
        bool owner = cred.Fsuid == inode.Uid;
        bool canChown = cred.HasCapability(Capability.CAP_CHOWN);
        if (uid != NoChange && !(owner && uid == inode.Uid) && !canChown)
            return -Errno.EPERM;
        if (gid != NoChange && !(owner && (gid == inode.Gid || cred.InGroup(gid))) && !canChown)
            return -Errno.EPERM;
        if (uid != NoChange)
            inode.Uid = uid;
        if (gid != NoChange)
            inode.Gid = gid;
        if (!inode.IsDirectory)
            KillSuidSgid(inode);
        inode.TouchChange();
        return 0;
    }

    /// <summary>
    /// utimensat(2) with times (nanoseconds may be UTIME_NOW or UTIME_OMIT;
    /// pass UTIME_NOW twice for a null times pointer). Both omitted: 0, nothing
    /// checked. -EINVAL for other nanoseconds outside 0..999,999,999; -EROFS;
    /// both now: the owner, CAP_FOWNER or write permission (-EACCES);
    /// anything else: the owner or CAP_FOWNER (-EPERM). Ctime becomes now.
    /// </summary>
    public static int Utimens(Credentials cred, Location at, Timestamp atime, Timestamp mtime)
    {
        if (atime.Nanoseconds == UtimeSpecial.UTIME_OMIT && mtime.Nanoseconds == UtimeSpecial.UTIME_OMIT)
            return 0;
        if (!ValidUtime(atime) || !ValidUtime(mtime))
            return -Errno.EINVAL;
        Inode inode = at.Inode;
        if (at.Mount.IsReadOnly)
            return -Errno.EROFS;
        bool bothNow = atime.Nanoseconds == UtimeSpecial.UTIME_NOW && mtime.Nanoseconds == UtimeSpecial.UTIME_NOW;
        if (!Permission.IsOwnerOrCapable(cred, inode))
        {
            if (!bothNow)
                return -Errno.EPERM;
            int r = Permission.Check(cred, inode, FileMode.MAY_WRITE);
            if (r < 0)
                return r;
        }
        Timestamp now = inode.Filesystem.Now();
        if (atime.Nanoseconds != UtimeSpecial.UTIME_OMIT)
            inode.Atime = atime.Nanoseconds == UtimeSpecial.UTIME_NOW ? now : atime;
        if (mtime.Nanoseconds != UtimeSpecial.UTIME_OMIT)
            inode.Mtime = mtime.Nanoseconds == UtimeSpecial.UTIME_NOW ? now : mtime;
        inode.Ctime = now;
        return 0;
    }

    /// <summary>
    /// truncate(2) on a resolved file: -EINVAL for a negative length or a
    /// non-regular file, -EISDIR for a directory, -EROFS, -EACCES without
    /// write permission, -EFBIG past the max file size. Mtime and ctime change
    /// when the size does; setuid is dropped as by a write.
    /// </summary>
    public static int Truncate(Credentials cred, Location at, long length)
    {
        if (length < 0)
            return -Errno.EINVAL;
        if (at.Inode.IsDirectory)
            return -Errno.EISDIR;
        if (at.Inode is not RegularInode file)
            return -Errno.EINVAL;
        if (at.Mount.IsReadOnly)
            return -Errno.EROFS;
        int r = Permission.Check(cred, file, FileMode.MAY_WRITE);
        if (r < 0)
            return r;
        if (file.Filesystem.GeneratedContents)
            return 0;
        r = file.Truncate(length, false);
        if (r == 0)
            RemovePrivileges(cred, file);
        return r;
    }

    /// <summary>ftruncate(2) and O_TRUNC from a user: the file's new size, with mtime and ctime.
    /// A file whose text the kernel makes (procfs, sysfs) keeps its size and answers 0, as their
    /// Linux setattr takes no size.</summary>
    public static int SetSize(RegularInode file, long length)
        => file.Filesystem.GeneratedContents ? 0 : file.Truncate(length, true);

    /// <summary>A write through an open file description: drops setuid/setgid as file_remove_privs does, then RegularInode.Write.</summary>
    public static int Write(Credentials cred, RegularInode file, long offset, ReadOnlySpan<byte> data)
    {
        if (file.Filesystem.GeneratedContents)
            return -Errno.EIO;
        int r = file.Write(offset, data);
        if (r > 0)
            RemovePrivileges(cred, file);
        return r;
    }

    /// <summary>readlink(2): the target of the symlink at <paramref name="path"/> (not followed); -EINVAL when it is not a symlink.</summary>
    public int Readlink(in PathContext ctx, string path, out string target)
    {
        target = "";
        int r = Walk.Resolve(ctx, path, false, out Location at);
        if (r < 0)
            return r;
        if (at.Inode is not SymlinkInode link)
            return -Errno.EINVAL;
        link.TouchAccess();
        target = link.Target;
        return 0;
    }

    private static bool ValidUtime(Timestamp t)
        => t.Nanoseconds == UtimeSpecial.UTIME_NOW || t.Nanoseconds == UtimeSpecial.UTIME_OMIT
            || (t.Nanoseconds >= 0 && t.Nanoseconds <= 999_999_999);

    /// <summary>should_remove_suid for a caller without CAP_FSETID: clears S_ISUID, and S_ISGID when group-executable; ctime changes with the mode.</summary>
    private static void RemovePrivileges(Credentials cred, Inode inode)
    {
        if (cred.HasCapability(Capability.CAP_FSETID))
            return;
        uint before = inode.Mode;
        KillSuidSgid(inode);
        if (inode.Mode != before)
            inode.TouchChange();
    }

    private static void KillSuidSgid(Inode inode)
    {
        uint mode = inode.Mode & ~FileMode.S_ISUID;
        if ((mode & (FileMode.S_ISGID | FileMode.S_IXGRP)) == (FileMode.S_ISGID | FileMode.S_IXGRP))
            mode &= ~FileMode.S_ISGID;
        inode.Mode = mode;
    }
}
