// eventfd(2), eventfd2(2): a new eventfd (an EventFd actor homed on the
// caller's CPU) holding initval, and its fd. eventfd2 takes EFD_SEMAPHORE,
// EFD_CLOEXEC and EFD_NONBLOCK; any other flag is -EINVAL (eventfd takes
// none). -EMFILE when no fd is free.
using Kevlar.Process.Files;
using Kevlar.Process.Files.Events;

namespace Kevlar.Process.Syscalls;

public static class Eventfd
{
    public const int EFD_SEMAPHORE = 1, EFD_CLOEXEC = OpenFlags.O_CLOEXEC, EFD_NONBLOCK = OpenFlags.O_NONBLOCK;

    public static long InvokeEventfd(UserThread t, in SyscallArgs a) => Do(t, a.UInt(0), 0);

    public static long InvokeEventfd2(UserThread t, in SyscallArgs a) => Do(t, a.UInt(0), a.Int(1));

    public static long Do(UserThread t, uint initial, int flags)
    {
        if ((flags & ~(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK)) != 0) return -Errno.EINVAL;
        UserProcess p = t.Process;
        var counter = new EventFd(initial, (flags & EFD_SEMAPHORE) != 0);
        p.Host.Scheduler.Register(counter, p.Host.Scheduler.Platform.CurrentCpu);
        var file = new EventFdFile(counter, flags & EFD_NONBLOCK);
        return p.Files.Allocate(file, (flags & EFD_CLOEXEC) != 0, 0, Open.FdLimit(p));
    }
}
