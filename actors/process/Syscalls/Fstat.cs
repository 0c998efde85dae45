// fstat(2): struct stat of an open fd into user memory.
using System;
using Kevlar.Process.Files;

namespace Kevlar.Process.Syscalls;

public static class Fstat
{
    public static long Invoke(UserThread t, in SyscallArgs a) => Do(t, a.Fd(0), a.Pointer(1));

    public static long Do(UserThread t, int fd, ulong statAddress)
    {
        OpenFile? f = t.Process.Files.Get(fd);
        if (f == null) return -Errno.EBADF;
        var status = new FileStatus();
        f.Stat(ref status);
        Span<byte> b = stackalloc byte[FileStatus.Size];
        status.Encode(b);
        return t.Process.UserMemory.Write(statAddress, b);
    }
}
