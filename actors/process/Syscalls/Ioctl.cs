// ioctl(2): passed to the open file; -ENOTTY for what it does not know.
// The syscall runs InvokeAsync (a tty's ioctls are requests to its owner);
// Invoke is the synchronous form for files served inline.
using Kevlar.Process.Files;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Ioctl
{
    public static long Invoke(UserThread t, in SyscallArgs a)
    {
        OpenFile? f = t.Process.Files.Get(a.Fd(0));
        if (f == null) return -Errno.EBADF;
        return f.Ioctl(a.UInt(1), a.Pointer(2), t.Process.UserMemory);
    }

    public static KernelTask<long> InvokeAsync(UserThread t, SyscallArgs a)
    {
        OpenFile? f = t.Process.Files.Get(a.Fd(0));
        if (f == null) return KernelTask<long>.FromResult(-Errno.EBADF);
        return f.IoctlAsync(t, a.UInt(1), a.Pointer(2));
    }
}
