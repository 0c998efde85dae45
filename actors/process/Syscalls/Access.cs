// access(2), faccessat(2), faccessat2(2): whether the file exists and the
// mode bits allow the access (root may read and write anything, and execute
// what has any execute bit); W_OK on the read-only initramfs is -EROFS.
using Kevlar.Process.Files;

namespace Kevlar.Process.Syscalls;

public static class Access
{
    public const int F_OK = 0, X_OK = 1, W_OK = 2, R_OK = 4;

    public static long InvokeAccess(UserThread t, in SyscallArgs a) => Do(t.Process, PathLookup.AT_FDCWD, a.Pointer(0), a.Int(1), 0);

    public static long InvokeFaccessat(UserThread t, in SyscallArgs a) => Do(t.Process, a.Fd(0), a.Pointer(1), a.Int(2), 0);

    public static long InvokeFaccessat2(UserThread t, in SyscallArgs a) => Do(t.Process, a.Fd(0), a.Pointer(1), a.Int(2), a.Int(3));

    public static long Do(UserProcess p, int dirfd, ulong pathAddress, int mode, int flags)
    {
        if ((mode & ~7) != 0) return -Errno.EINVAL;
        if ((flags & ~(PathLookup.AT_EACCESS | PathLookup.AT_SYMLINK_NOFOLLOW | PathLookup.AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        int r = PathLookup.ReadPath(p, pathAddress, out string path);
        if (r != 0) return r;
        if (DeviceFile.ForPath(path, 0) != null || path == "/dev/console" || path == "/dev/tty") return 0;
        r = PathLookup.Resolve(p, dirfd, path, (flags & PathLookup.AT_SYMLINK_NOFOLLOW) == 0, out InitramfsNode? node);
        if (r != 0 || node == null) return r != 0 ? r : -Errno.ENOENT;
        if ((mode & W_OK) != 0) return -Errno.EROFS;
        uint uid = (flags & PathLookup.AT_EACCESS) != 0 ? p.Euid : p.Uid;
        uint gid = (flags & PathLookup.AT_EACCESS) != 0 ? p.Egid : p.Gid;
        bool inGroup = gid == node.Gid;
        for (int i = 0; i < p.Groups.Length && !inGroup; i++) inGroup = p.Groups[i] == node.Gid;
        uint bits = uid == 0 ? 7u : uid == node.Uid ? (node.Mode >> 6) & 7 : inGroup ? (node.Mode >> 3) & 7 : node.Mode & 7;
        if (uid == 0 && (mode & X_OK) != 0 && !node.IsDirectory && (node.Mode & 0x49) == 0) return -Errno.EACCES;
        if (uid == 0) return 0;
        return ((uint)mode & ~bits) == 0 ? 0 : -Errno.EACCES;
    }
}
