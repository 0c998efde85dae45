// getdents64(2): directory entries of an open directory fd into a user
// buffer; -ENOTDIR for a file, -EINVAL when the buffer cannot hold one entry.
using System;
using Kevlar.Process.Files;

namespace Kevlar.Process.Syscalls;

public static class Getdents64
{
    private const int MaxChunk = 32768;

    public static long Invoke(UserThread t, in SyscallArgs a)
    {
        UserProcess p = t.Process;
        OpenFile? f = p.Files.Get(a.Fd(0));
        if (f == null) return -Errno.EBADF;
        ulong count = a.Size(2);
        int size = count > MaxChunk ? MaxChunk : (int)count;
        var buffer = new byte[size];
        long position = f.Seek(0, Lseek.SEEK_CUR);
        long n = f.ReadDirectory(buffer);
        if (n <= 0) return n;
        int r = p.UserMemory.Write(a.Pointer(1), new ReadOnlySpan<byte>(buffer, 0, (int)n));
        if (r != 0 && position >= 0) f.Seek(position, Lseek.SEEK_SET); // entries not delivered are read again
        return r != 0 ? r : n;
    }
}
