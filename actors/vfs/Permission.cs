// Permission: Linux's generic_permission (fs/namei.c): the owner class, else
// the group class (fsgid or a supplementary group), else other; then the
// capability overrides: CAP_DAC_OVERRIDE grants read and write always, and
// execute only on a directory or when some execute bit is set;
// CAP_DAC_READ_SEARCH grants read, and search on directories.
using Kevlar.Vfs.Inodes;

namespace Kevlar.Vfs;

/// <summary>Mode-bit permission checks.</summary>
public static class Permission
{
    /// <summary>0 when <paramref name="cred"/> may access <paramref name="inode"/> for <paramref name="mask"/> (FileMode.MAY_*), else -EACCES.</summary>
    public static int Check(Credentials cred, Inode inode, int mask)
    {
        mask &= FileMode.MAY_READ | FileMode.MAY_WRITE | FileMode.MAY_EXEC;
        if (ModeAllows(cred, inode, mask))
            return 0;
        if (FileType.Of(inode.Mode) == FileType.S_IFDIR)
        {
            if ((mask & FileMode.MAY_WRITE) == 0 && cred.HasCapability(Capability.CAP_DAC_READ_SEARCH))
                return 0;
            return cred.HasCapability(Capability.CAP_DAC_OVERRIDE) ? 0 : -Errno.EACCES;
        }
        if (((mask & FileMode.MAY_EXEC) == 0 || (inode.Mode & FileMode.S_IXUGO) != 0)
            && cred.HasCapability(Capability.CAP_DAC_OVERRIDE))
            return 0;
        if (mask == FileMode.MAY_READ && cred.HasCapability(Capability.CAP_DAC_READ_SEARCH))
            return 0;
        return -Errno.EACCES;
    }

    /// <summary>True when the caller owns the inode or holds CAP_FOWNER (Linux inode_owner_or_capable).</summary>
    public static bool IsOwnerOrCapable(Credentials cred, Inode inode)
        => cred.Fsuid == inode.Uid || cred.HasCapability(Capability.CAP_FOWNER);

    /// <summary>acl_permission_check: only the caller's class of bits counts.</summary>
    private static bool ModeAllows(Credentials cred, Inode inode, int mask)
    {
        uint mode = inode.Mode;
        if (cred.Fsuid == inode.Uid)
            mode >>= 6;
        else if (cred.InGroup(inode.Gid))
            mode >>= 3;
        return (mask & ~(int)mode & 7) == 0;
    }
}
