// read(2), write(2), readv(2), writev(2): data through an fd's open file
// description. The user buffer is copied in bounded chunks, so a huge length
// costs no huge kernel allocation; a bad buffer is -EFAULT, a bad fd -EBADF,
// a negative or overflowing length -EINVAL, as on Linux.
using System;
using Kevlar.Process.Files;

namespace Kevlar.Process.Syscalls;

public static class ReadWrite
{
    /// <summary>Largest single transfer (Linux's MAX_RW_COUNT: INT_MAX rounded down to a page).</summary>
    public const long MaxCount = 0x7FFF_F000;
    private const int Chunk = 4096;
    private const int IovMax = 1024;

    public static long Read(UserThread t, in SyscallArgs a) => DoRead(t, a.Fd(0), a.Pointer(1), a.Size(2));

    public static long Write(UserThread t, in SyscallArgs a) => DoWrite(t, a.Fd(0), a.Pointer(1), a.Size(2));

    public static long Readv(UserThread t, in SyscallArgs a) => DoVector(t, a.Fd(0), a.Pointer(1), a.Int(2), false);

    public static long Writev(UserThread t, in SyscallArgs a) => DoVector(t, a.Fd(0), a.Pointer(1), a.Int(2), true);

    public static long DoRead(UserThread t, int fd, ulong buffer, ulong count)
    {
        OpenFile? f = t.Process.Files.Get(fd);
        if (f == null) return -Errno.EBADF;
        if ((f.StatusFlags & OpenFlags.O_ACCMODE) == OpenFlags.O_WRONLY) return -Errno.EBADF;
        if (count > MaxCount) count = MaxCount;
        Span<byte> chunk = stackalloc byte[Chunk];
        long done = 0;
        while ((ulong)done < count)
        {
            int want = (int)Math.Min((ulong)Chunk, count - (ulong)done);
            long n = f.Read(chunk.Slice(0, want));
            if (n < 0) return done > 0 ? done : n;
            if (n == 0) break;
            if (t.Process.UserMemory.Write(buffer + (ulong)done, chunk.Slice(0, (int)n)) != 0)
                return done > 0 ? done : -Errno.EFAULT;
            done += n;
            if (n < want) break;
        }
        return done;
    }

    public static long DoWrite(UserThread t, int fd, ulong buffer, ulong count)
    {
        OpenFile? f = t.Process.Files.Get(fd);
        if (f == null) return -Errno.EBADF;
        if ((f.StatusFlags & OpenFlags.O_ACCMODE) == OpenFlags.O_RDONLY) return -Errno.EBADF;
        if (count > MaxCount) count = MaxCount;
        Span<byte> chunk = stackalloc byte[Chunk];
        long done = 0;
        while ((ulong)done < count)
        {
            int want = (int)Math.Min((ulong)Chunk, count - (ulong)done);
            if (t.Process.UserMemory.Read(buffer + (ulong)done, chunk.Slice(0, want)) != 0)
                return done > 0 ? done : -Errno.EFAULT;
            long n = f.Write(chunk.Slice(0, want));
            if (n < 0) return done > 0 ? done : n;
            done += n;
            if (n < want) break;
        }
        return done;
    }

    // struct iovec { void *iov_base; size_t iov_len; }
    private static long DoVector(UserThread t, int fd, ulong iov, int count, bool write)
    {
        if (t.Process.Files.Get(fd) == null) return -Errno.EBADF;
        if (count < 0 || count > IovMax) return -Errno.EINVAL;
        ulong total = 0;
        for (int i = 0; i < count; i++)
        {
            if (t.Process.UserMemory.ReadUInt64(iov + (ulong)i * 16 + 8, out ulong len) != 0) return -Errno.EFAULT;
            if (len > (ulong)long.MaxValue || total + len > (ulong)long.MaxValue) return -Errno.EINVAL;
            total += len;
        }
        long done = 0;
        for (int i = 0; i < count; i++)
        {
            t.Process.UserMemory.ReadUInt64(iov + (ulong)i * 16, out ulong baseAddress);
            t.Process.UserMemory.ReadUInt64(iov + (ulong)i * 16 + 8, out ulong len);
            if (len == 0) continue;
            long n = write ? DoWrite(t, fd, baseAddress, len) : DoRead(t, fd, baseAddress, len);
            if (n < 0) return done > 0 ? done : n;
            done += n;
            if ((ulong)n < len) break;
        }
        return done;
    }
}
