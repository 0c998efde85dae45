// getdents64(2): directory entries of an open directory fd into a user
// buffer; -ENOTDIR for a file, -EINVAL when the buffer cannot hold one entry.
using System;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Getdents64
{
    private const int MaxChunk = 32768;

    public static KernelTask<long> Invoke(UserThread t, SyscallArgs a)
    {
        OpenFile? f = t.Process.Files.Get(a.Fd(0));
        if (f == null) return KernelTask<long>.FromResult(-Errno.EBADF);
        var dir = f as VfsFile;
        if (dir == null || dir.IsPathOnly) return KernelTask<long>.FromResult(dir == null ? -Errno.ENOTDIR : -Errno.EBADF);
        ulong count = a.Size(2);
        var buffer = new byte[count > MaxChunk ? MaxChunk : (int)count];
        var start = new long[1];
        return Finish(t, dir, dir.ReadDirectoryAsync(t, buffer, start), buffer, start, a.Pointer(1));
    }

    private static async KernelTask<long> Finish(UserThread t, VfsFile dir, KernelTask<long> read, byte[] buffer, long[] start, ulong user)
    {
        long n = await read;
        if (n <= 0) return n;
        int r = t.Process.UserMemory.Write(user, new ReadOnlySpan<byte>(buffer, 0, (int)n));
        if (r == 0) return n;
        // Records that did not reach the caller are read again next time, as on Linux.
        await dir.SeekAsync(t, start[0], Lseek.SEEK_SET);
        return r;
    }
}
