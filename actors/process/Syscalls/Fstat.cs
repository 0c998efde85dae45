// fstat(2): struct stat of an open fd into user memory.
using System;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Fstat
{
    public static KernelTask<long> Invoke(UserThread t, SyscallArgs a)
    {
        OpenFile? f = t.Process.Files.Get(a.Fd(0));
        if (f == null) return KernelTask<long>.FromResult(-Errno.EBADF);
        var box = new StatBox();
        return Stat.WriteOut(t, Stat.OfFile(t, f, box), box, a.Pointer(1));
    }
}
