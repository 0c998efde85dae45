// read(2), write(2), readv(2), writev(2): data through an fd's open file
// description, which may wait (a pipe, a tty) without holding the CPU. A bad
// buffer is -EFAULT, a bad fd -EBADF, a negative or overflowing length
// -EINVAL, as on Linux; counts are capped at MAX_RW_COUNT.
using Kevlar.Process.Files;
using Kevlar.Process.Memory;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class ReadWrite
{
    /// <summary>Largest single transfer (Linux's MAX_RW_COUNT: INT_MAX rounded down to a page).</summary>
    public const long MaxCount = 0x7FFF_F000;
    private const int IovMax = 1024;

    public static KernelTask<long> Read(UserThread t, SyscallArgs a) => DoRead(t, a.Fd(0), a.Pointer(1), a.Size(2));

    public static KernelTask<long> Write(UserThread t, SyscallArgs a) => DoWrite(t, a.Fd(0), a.Pointer(1), a.Size(2));

    public static KernelTask<long> Readv(UserThread t, SyscallArgs a) => DoVector(t, a.Fd(0), a.Pointer(1), a.Int(2), false);

    public static KernelTask<long> Writev(UserThread t, SyscallArgs a) => DoVector(t, a.Fd(0), a.Pointer(1), a.Int(2), true);

    public static KernelTask<long> DoRead(UserThread t, int fd, ulong buffer, ulong count)
    {
        OpenFile? f = t.Process.Files.Get(fd);
        if (f == null) return KernelTask<long>.FromResult(-Errno.EBADF);
        if ((f.StatusFlags & OpenFlags.O_ACCMODE) == OpenFlags.O_WRONLY) return KernelTask<long>.FromResult(-Errno.EBADF);
        if (!UserMemory.InUserSpace(buffer, count)) return KernelTask<long>.FromResult(-Errno.EFAULT);
        if (count > MaxCount) count = MaxCount;
        return f.ReadAsync(t, buffer, count);
    }

    public static KernelTask<long> DoWrite(UserThread t, int fd, ulong buffer, ulong count)
    {
        OpenFile? f = t.Process.Files.Get(fd);
        if (f == null) return KernelTask<long>.FromResult(-Errno.EBADF);
        if ((f.StatusFlags & OpenFlags.O_ACCMODE) == OpenFlags.O_RDONLY) return KernelTask<long>.FromResult(-Errno.EBADF);
        if (!UserMemory.InUserSpace(buffer, count)) return KernelTask<long>.FromResult(-Errno.EFAULT);
        if (count > MaxCount) count = MaxCount;
        return f.WriteAsync(t, buffer, count);
    }

    // struct iovec { void *iov_base; size_t iov_len; } — 16 bytes.
    private static KernelTask<long> DoVector(UserThread t, int fd, ulong iov, int count, bool write)
    {
        if (t.Process.Files.Get(fd) == null) return KernelTask<long>.FromResult(-Errno.EBADF);
        if (count < 0 || count > IovMax) return KernelTask<long>.FromResult(-Errno.EINVAL);
        ulong total = 0;
        for (int i = 0; i < count; i++)
        {
            if (t.Process.UserMemory.ReadUInt64(iov + (ulong)i * 16 + 8, out ulong len) != 0) return KernelTask<long>.FromResult(-Errno.EFAULT);
            if (len > (ulong)long.MaxValue || total + len > (ulong)long.MaxValue) return KernelTask<long>.FromResult(-Errno.EINVAL);
            total += len;
        }
        OpenFile? f = t.Process.Files.Get(fd);
        if (f is Files.Sockets.SocketFile socket) return SocketVector(t, socket, iov, count, write);
        return Vector(t, fd, iov, count, write);
    }

    /// <summary>readv/writev on a socket: one recvmsg / sendmsg of the whole vector (one datagram, one
    /// stream write), as sock_read_iter and sock_write_iter make them.</summary>
    private static KernelTask<long> SocketVector(UserThread t, Files.Sockets.SocketFile socket, ulong iov, int count, bool write)
    {
        if ((socket.StatusFlags & OpenFlags.O_ACCMODE) == (write ? OpenFlags.O_RDONLY : OpenFlags.O_WRONLY))
            return KernelTask<long>.FromResult(-Errno.EBADF);
        int r = Files.Sockets.IoVector.Read(t.Process.UserMemory, iov, (ulong)count, out Files.Sockets.IoVector? vector);
        if (r != 0) return KernelTask<long>.FromResult(r);
        return write ? socket.SendAsync(t, vector!, 0) : socket.ReceiveAsync(t, vector!, 0, null);
    }

    private static async KernelTask<long> Vector(UserThread t, int fd, ulong iov, int count, bool write)
    {
        long done = 0;
        for (int i = 0; i < count; i++)
        {
            t.Process.UserMemory.ReadUInt64(iov + (ulong)i * 16, out ulong baseAddress);
            t.Process.UserMemory.ReadUInt64(iov + (ulong)i * 16 + 8, out ulong len);
            if (len == 0) continue;
            long n = await (write ? DoWrite(t, fd, baseAddress, len) : DoRead(t, fd, baseAddress, len));
            if (n < 0) return done > 0 ? done : n;
            done += n;
            if ((ulong)n < len) break;
        }
        return done;
    }
}
