// stat(2), lstat(2), newfstatat(2): struct stat of a path (or, with
// AT_EMPTY_PATH and an empty path, of dirfd itself).
using System;
using Kevlar.Process.Files;

namespace Kevlar.Process.Syscalls;

public static class Stat
{
    public static long InvokeStat(UserThread t, in SyscallArgs a) => Do(t.Process, PathLookup.AT_FDCWD, a.Pointer(0), a.Pointer(1), 0);

    public static long InvokeLstat(UserThread t, in SyscallArgs a)
        => Do(t.Process, PathLookup.AT_FDCWD, a.Pointer(0), a.Pointer(1), PathLookup.AT_SYMLINK_NOFOLLOW);

    public static long InvokeNewfstatat(UserThread t, in SyscallArgs a) => Do(t.Process, a.Fd(0), a.Pointer(1), a.Pointer(2), a.Int(3));

    public static long Do(UserProcess p, int dirfd, ulong pathAddress, ulong statAddress, int flags)
    {
        if ((flags & ~(PathLookup.AT_SYMLINK_NOFOLLOW | PathLookup.AT_EMPTY_PATH | PathLookup.AT_NO_AUTOMOUNT)) != 0) return -Errno.EINVAL;
        var status = new FileStatus();
        int r = Lookup(p, dirfd, pathAddress, flags, ref status);
        if (r != 0) return r;
        Span<byte> b = stackalloc byte[FileStatus.Size];
        status.Encode(b);
        return p.UserMemory.Write(statAddress, b);
    }

    /// <summary>Fills <paramref name="status"/> for (dirfd, path) under stat's flag rules: 0 or -errno.</summary>
    public static int Lookup(UserProcess p, int dirfd, ulong pathAddress, int flags, ref FileStatus status)
    {
        int r = PathLookup.ReadPath(p, pathAddress, out string path);
        if (r != 0) return r;
        if (path.Length == 0)
        {
            if ((flags & PathLookup.AT_EMPTY_PATH) == 0) return -Errno.ENOENT;
            OpenFile? f = dirfd == PathLookup.AT_FDCWD ? null : p.Files.Get(dirfd);
            if (f == null && dirfd != PathLookup.AT_FDCWD) return -Errno.EBADF;
            if (f != null) f.Stat(ref status);
            else p.CwdNode.Stat(ref status);
        }
        else
        {
            DeviceFile? device = DeviceFile.ForPath(path, 0);
            if (device != null)
            {
                device.Stat(ref status);
            }
            else
            {
                r = PathLookup.Resolve(p, dirfd, path, (flags & PathLookup.AT_SYMLINK_NOFOLLOW) == 0, out InitramfsNode? node);
                if (r != 0 || node == null) return r != 0 ? r : -Errno.ENOENT;
                node.Stat(ref status);
            }
        }
        return 0;
    }
}
