// pread64(2), pwrite64(2), preadv(2), pwritev(2): I/O at a given offset,
// leaving the fd's offset alone. -ESPIPE for pipes and ttys, -EINVAL for a
// negative offset, -EBADF for the wrong access mode. The memory devices
// ignore the offset as Linux's do. pwrite on an O_APPEND file writes at the
// offset given (Linux appends instead; see pwrite(2) BUGS).
using Kevlar.Process.Files;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Pread
{
    public static KernelTask<long> InvokePread64(UserThread t, SyscallArgs a) => Do(t, a.Fd(0), a.Pointer(1), a.Size(2), a.Long(3), false);

    public static KernelTask<long> InvokePwrite64(UserThread t, SyscallArgs a) => Do(t, a.Fd(0), a.Pointer(1), a.Size(2), a.Long(3), true);

    public static KernelTask<long> InvokePreadv(UserThread t, SyscallArgs a) => Vector(t, a.Fd(0), a.Pointer(1), a.Int(2), a.Long(3), false);

    public static KernelTask<long> InvokePwritev(UserThread t, SyscallArgs a) => Vector(t, a.Fd(0), a.Pointer(1), a.Int(2), a.Long(3), true);

    private static KernelTask<long> Do(UserThread t, int fd, ulong buffer, ulong count, long offset, bool write)
    {
        OpenFile? f = t.Process.Files.Get(fd);
        if (f == null) return KernelTask<long>.FromResult(-Errno.EBADF);
        int access = f.StatusFlags & OpenFlags.O_ACCMODE;
        if (write ? access == OpenFlags.O_RDONLY : access == OpenFlags.O_WRONLY) return KernelTask<long>.FromResult(-Errno.EBADF);
        if (offset < 0) return KernelTask<long>.FromResult(-Errno.EINVAL);
        if (count > ReadWrite.MaxCount) count = ReadWrite.MaxCount;
        var file = f as VfsFile;
        if (file != null)
        {
            if (file.IsPathOnly) return KernelTask<long>.FromResult(-Errno.EBADF);
            if (file.IsDirectory) return KernelTask<long>.FromResult(-Errno.EISDIR);
            return write ? file.WriteLoop(t, buffer, count, offset) : file.ReadLoop(t, buffer, count, offset);
        }
        if (f is DeviceFile) return write ? f.WriteAsync(t, buffer, count) : f.ReadAsync(t, buffer, count);
        return KernelTask<long>.FromResult(-Errno.ESPIPE);
    }

    // struct iovec { void *iov_base; size_t iov_len; } — 16 bytes.
    private static async KernelTask<long> Vector(UserThread t, int fd, ulong iov, int count, long offset, bool write)
    {
        if (count < 0 || count > 1024) return -Errno.EINVAL;
        long done = 0;
        for (int i = 0; i < count; i++)
        {
            if (t.Process.UserMemory.ReadUInt64(iov + (ulong)i * 16, out ulong baseAddress) != 0
                || t.Process.UserMemory.ReadUInt64(iov + (ulong)i * 16 + 8, out ulong len) != 0)
                return done > 0 ? done : -Errno.EFAULT;
            if (len == 0) continue;
            long n = await Do(t, fd, baseAddress, len, offset + done, write);
            if (n < 0) return done > 0 ? done : n;
            done += n;
            if ((ulong)n < len) break;
        }
        return done;
    }
}
