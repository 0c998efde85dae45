// sync(2), syncfs(2), fsync(2), fdatasync(2): everything here lives in
// memory (tmpfs), so there is nothing to write back; the fd checks are
// Linux's: -EBADF for a closed fd, -EINVAL for an fd whose file cannot be
// synced (a pipe, a socket).
using Kevlar.Process.Files;
using Kevlar.Process.Files.Pipes;

namespace Kevlar.Process.Syscalls;

public static class Sync
{
    public static long InvokeSync(UserThread t, in SyscallArgs a) => 0;

    public static long InvokeSyncfs(UserThread t, in SyscallArgs a) => t.Process.Files.Get(a.Fd(0)) == null ? -Errno.EBADF : 0;

    public static long InvokeFsync(UserThread t, in SyscallArgs a)
    {
        OpenFile? f = t.Process.Files.Get(a.Fd(0));
        if (f == null) return -Errno.EBADF;
        return f is PipeEnd ? -Errno.EINVAL : 0;
    }
}
