// epoll_create(2), epoll_create1(2): a new epoll set (an Epoll actor homed on
// the caller's CPU) and its fd. epoll_create's size must be positive (it is
// otherwise ignored); epoll_create1 takes EPOLL_CLOEXEC only. -EINVAL
// otherwise, -EMFILE when no fd is free.
using Kevlar.Process.Files.Events;

namespace Kevlar.Process.Syscalls;

public static class EpollCreate
{
    public static long InvokeCreate(UserThread t, in SyscallArgs a) => a.Int(0) <= 0 ? -Errno.EINVAL : Do(t, 0);

    public static long InvokeCreate1(UserThread t, in SyscallArgs a) => Do(t, a.Int(0));

    public static long Do(UserThread t, int flags)
    {
        if ((flags & ~EpollEvents.EPOLL_CLOEXEC) != 0) return -Errno.EINVAL;
        UserProcess p = t.Process;
        var set = new Epoll();
        p.Host.Scheduler.Register(set, p.Host.Scheduler.Platform.CurrentCpu);
        return p.Files.Allocate(new EpollFile(set, 0), flags != 0, 0, Open.FdLimit(p));
    }
}
