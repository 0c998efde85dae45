// readlink(2), readlinkat(2): a symbolic link's target, not NUL-terminated,
// truncated to the buffer. /proc/self/exe (and /proc/<own pid>/exe) name the
// running program until procfs exists.
using System;
using Kevlar.Process.Files;
using Kevlar.Runtime.Text;

namespace Kevlar.Process.Syscalls;

public static class Readlink
{
    public static long InvokeReadlink(UserThread t, in SyscallArgs a) => Do(t.Process, PathLookup.AT_FDCWD, a.Pointer(0), a.Pointer(1), a.Long(2));

    public static long InvokeReadlinkat(UserThread t, in SyscallArgs a) => Do(t.Process, a.Fd(0), a.Pointer(1), a.Pointer(2), a.Long(3));

    public static long Do(UserProcess p, int dirfd, ulong pathAddress, ulong buffer, long size)
    {
        if (size <= 0) return -Errno.EINVAL;
        int r = PathLookup.ReadPath(p, pathAddress, out string path);
        if (r != 0) return r;
        string target;
        if (path == "/proc/self/exe" || path == string.Concat("/proc/", p.Pid.ToString(), "/exe"))
        {
            target = p.ExecutablePath;
        }
        else
        {
            r = PathLookup.Resolve(p, dirfd, path, false, out InitramfsNode? node);
            if (r != 0 || node == null) return r != 0 ? r : -Errno.ENOENT;
            if (Vfs.FileType.Of(node.Mode) != Vfs.FileType.S_IFLNK) return -Errno.EINVAL;
            target = p.Host.Files.LinkText(node);
        }
        byte[] bytes = Latin1.Encode(target) ?? new byte[0];
        int n = (int)Math.Min(size, bytes.Length);
        r = p.UserMemory.Write(buffer, new ReadOnlySpan<byte>(bytes, 0, n));
        return r != 0 ? r : n;
    }
}
