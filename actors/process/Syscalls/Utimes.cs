// utimensat(2), utimes(2), futimesat(2), utime(2): access and modification
// times. utimensat takes timespecs with UTIME_NOW / UTIME_OMIT and a NULL
// times pointer meaning both now; a NULL path with a dirfd names the fd's
// file (Linux's special case, used by futimens). utimes and futimesat take
// timevals (tv_usec must be 0..999999, else -EINVAL); utime a struct utimbuf
// of seconds. Permission: explicit times need the owner or CAP_FOWNER
// (-EPERM); "now" for both also allows write permission (-EACCES).
using System;
using System.Buffers.Binary;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;
using Kevlar.Vfs;
using Kevlar.Vfs.Operations;

namespace Kevlar.Process.Syscalls;

public static class Utimes
{
    public static KernelTask<long> InvokeUtimensat(UserThread t, SyscallArgs a)
    {
        int flags = a.Int(3);
        if ((flags & ~(PathLookup.AT_SYMLINK_NOFOLLOW | PathLookup.AT_EMPTY_PATH)) != 0) return KernelTask<long>.FromResult(-Errno.EINVAL);
        Timestamp atime = Now, mtime = Now;
        if (a.Pointer(2) != 0)
        {
            var b = new byte[32];
            if (t.Process.UserMemory.Read(a.Pointer(2), b) != 0) return KernelTask<long>.FromResult(-Errno.EFAULT);
            atime = new Timestamp(BinaryPrimitives.ReadInt64LittleEndian(b), BinaryPrimitives.ReadInt64LittleEndian(new ReadOnlySpan<byte>(b, 8, 8)));
            mtime = new Timestamp(BinaryPrimitives.ReadInt64LittleEndian(new ReadOnlySpan<byte>(b, 16, 8)), BinaryPrimitives.ReadInt64LittleEndian(new ReadOnlySpan<byte>(b, 24, 8)));
        }
        if (a.Pointer(1) == 0)
        {
            // utimensat(fd, NULL, times, 0): the fd's own file (futimens).
            if ((flags & PathLookup.AT_SYMLINK_NOFOLLOW) != 0) return KernelTask<long>.FromResult(-Errno.EINVAL);
            return Set(t, a.Fd(0), atime, mtime);
        }
        return SetAt(t, a.Fd(0), a.Pointer(1), atime, mtime, (flags & PathLookup.AT_SYMLINK_NOFOLLOW) == 0, (flags & PathLookup.AT_EMPTY_PATH) != 0);
    }

    public static KernelTask<long> InvokeUtimes(UserThread t, SyscallArgs a) => Timevals(t, PathLookup.AT_FDCWD, a.Pointer(0), a.Pointer(1));

    public static KernelTask<long> InvokeFutimesat(UserThread t, SyscallArgs a) => Timevals(t, a.Fd(0), a.Pointer(1), a.Pointer(2));

    public static KernelTask<long> InvokeUtime(UserThread t, SyscallArgs a)
    {
        Timestamp atime = Now, mtime = Now;
        if (a.Pointer(1) != 0)
        {
            // struct utimbuf { time_t actime; time_t modtime; }
            var b = new byte[16];
            if (t.Process.UserMemory.Read(a.Pointer(1), b) != 0) return KernelTask<long>.FromResult(-Errno.EFAULT);
            atime = new Timestamp(BinaryPrimitives.ReadInt64LittleEndian(b), 0);
            mtime = new Timestamp(BinaryPrimitives.ReadInt64LittleEndian(new ReadOnlySpan<byte>(b, 8, 8)), 0);
        }
        return SetAt(t, PathLookup.AT_FDCWD, a.Pointer(0), atime, mtime, true, false);
    }

    private static Timestamp Now => new Timestamp(0, UtimeSpecial.UTIME_NOW);

    private static KernelTask<long> Timevals(UserThread t, int dirfd, ulong path, ulong times)
    {
        Timestamp atime = Now, mtime = Now;
        if (times != 0)
        {
            // struct timeval[2] { long tv_sec; long tv_usec; }
            var b = new byte[32];
            if (t.Process.UserMemory.Read(times, b) != 0) return KernelTask<long>.FromResult(-Errno.EFAULT);
            long asec = BinaryPrimitives.ReadInt64LittleEndian(b), ausec = BinaryPrimitives.ReadInt64LittleEndian(new ReadOnlySpan<byte>(b, 8, 8));
            long msec = BinaryPrimitives.ReadInt64LittleEndian(new ReadOnlySpan<byte>(b, 16, 8)), musec = BinaryPrimitives.ReadInt64LittleEndian(new ReadOnlySpan<byte>(b, 24, 8));
            if (ausec < 0 || ausec >= 1_000_000 || musec < 0 || musec >= 1_000_000) return KernelTask<long>.FromResult(-Errno.EINVAL);
            atime = new Timestamp(asec, ausec * 1000);
            mtime = new Timestamp(msec, musec * 1000);
        }
        return SetAt(t, dirfd, path, atime, mtime, true, false);
    }

    private static KernelTask<long> SetAt(UserThread t, int dirfd, ulong path, Timestamp atime, Timestamp mtime, bool follow, bool emptyPath)
    {
        var cred = PathLookup.CredentialsOf(t.Process);
        return VfsPath.OnFile(t, dirfd, path, follow, emptyPath, at => Namespace.Utimens(cred, at, atime, mtime));
    }

    private static KernelTask<long> Set(UserThread t, int fd, Timestamp atime, Timestamp mtime)
    {
        var cred = PathLookup.CredentialsOf(t.Process);
        return VfsPath.OnFd(t, fd, true, at => Namespace.Utimens(cred, at, atime, mtime));
    }
}
