// fcntl(2): F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD/F_SETFD (FD_CLOEXEC),
// F_GETFL/F_SETFL (only O_APPEND, O_NONBLOCK, O_ASYNC, O_DIRECT, O_NOATIME
// change, as on Linux), F_GETPIPE_SZ/F_SETPIPE_SZ on pipes (-EBADF on other
// files, as Linux's pipe_fcntl); record locks (F_GETLK, F_SETLK, F_SETLKW
// and the OFD forms) in RecordLocks.cs. -EINVAL for commands not known here.
using Kevlar.Process.Files;
using Kevlar.Process.Files.Pipes;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Fcntl
{
    public const int F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030;
    public const int F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032;
    public const int FD_CLOEXEC = 1;
    private const int SettableFlags = OpenFlags.O_APPEND | OpenFlags.O_NONBLOCK | 0x2000 | 0x4000 | 0x40000;

    public static KernelTask<long> InvokeAsync(UserThread t, SyscallArgs a)
    {
        int cmd = a.Int(1);
        if (RecordLocks.Handles(cmd)) return RecordLocks.Invoke(t, a.Fd(0), cmd, a.Pointer(2));
        if (cmd != F_SETPIPE_SZ) return KernelTask<long>.FromResult(Invoke(t, in a));
        var end = t.Process.Files.Get(a.Fd(0)) as PipeEnd;
        if (end == null) return KernelTask<long>.FromResult(-Errno.EBADF);
        return FileCall.Run(t, end.Pipe, new PipeResizeRequest(end.Pipe, (long)a.Size(2), t.Process.Euid == 0));
    }

    public static long Invoke(UserThread t, in SyscallArgs a)
    {
        UserProcess p = t.Process;
        int fd = a.Fd(0), cmd = a.Int(1);
        OpenFile? f = p.Files.Get(fd);
        if (f == null) return -Errno.EBADF;
        switch (cmd)
        {
            case F_DUPFD:
            case F_DUPFD_CLOEXEC:
            {
                int min = a.Int(2);
                int limit = Open.FdLimit(p);
                if (min < 0 || min >= limit) return -Errno.EINVAL;
                return p.Files.Allocate(f, cmd == F_DUPFD_CLOEXEC, min, limit);
            }
            case F_GETFD:
                return p.Files.GetCloseOnExec(fd) ? FD_CLOEXEC : 0;
            case F_SETFD:
                p.Files.SetCloseOnExec(fd, (a.Int(2) & FD_CLOEXEC) != 0);
                return 0;
            case F_GETFL:
                return f.StatusFlags;
            case F_SETFL:
                f.StatusFlags = (f.StatusFlags & ~SettableFlags) | (a.Int(2) & SettableFlags);
                return 0;
            case F_GETPIPE_SZ:
                return f is PipeEnd end ? end.Pipe.Capacity : -Errno.EBADF;
            default:
                return -Errno.EINVAL;
        }
    }
}
