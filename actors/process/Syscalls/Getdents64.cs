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
        return Finish(t, dir.ReadDirectoryAsync(t, buffer), buffer, a.Pointer(1));
    }

    private static async KernelTask<long> Finish(UserThread t, KernelTask<long> read, byte[] buffer, ulong user)
    {
        long n = await read;
        if (n <= 0) return n;
        int r = t.Process.UserMemory.Write(user, new ReadOnlySpan<byte>(buffer, 0, (int)n));
        return r != 0 ? r : n;
    }
}
