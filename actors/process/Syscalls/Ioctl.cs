// ioctl(2): passed to the open file; -ENOTTY for what it does not know.
using Kevlar.Process.Files;

namespace Kevlar.Process.Syscalls;

public static class Ioctl
{
    public static long Invoke(UserThread t, in SyscallArgs a)
    {
        OpenFile? f = t.Process.Files.Get(a.Fd(0));
        if (f == null) return -Errno.EBADF;
        return f.Ioctl(a.UInt(1), a.Pointer(2), t.Process.UserMemory);
    }
}
