// timerfd_create(2), timerfd_settime(2), timerfd_gettime(2): a timer (a
// TimerFd actor homed on the caller's CPU) read through an fd.
//   create: CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME (the monotonic
//     clock here: nothing suspends) and their _ALARM forms; another clock or a
//     flag other than TFD_NONBLOCK/TFD_CLOEXEC is -EINVAL.
//   settime: struct itimerspec { it_interval; it_value; } (32 bytes); flags
//     TFD_TIMER_ABSTIME and TFD_TIMER_CANCEL_ON_SET (accepted: the realtime
//     clock is never set here) else -EINVAL; a bad timespec -EINVAL; the old
//     setting written when asked. A bad fd is -EBADF, another file -EINVAL.
//   gettime: the time to the next expiration and the interval.
using Kevlar.Process.Files;
using Kevlar.Process.Files.Events;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Timerfd
{
    public const int TFD_CLOEXEC = OpenFlags.O_CLOEXEC, TFD_NONBLOCK = OpenFlags.O_NONBLOCK;
    public const int TFD_TIMER_ABSTIME = 1, TFD_TIMER_CANCEL_ON_SET = 2;

    public static long InvokeCreate(UserThread t, in SyscallArgs a) => Create(t, a.Int(0), a.Int(1));

    public static long Create(UserThread t, int clock, int flags)
    {
        if ((flags & ~(TFD_CLOEXEC | TFD_NONBLOCK)) != 0) return -Errno.EINVAL;
        bool realtime = clock == TimerFd.CLOCK_REALTIME || clock == TimerFd.CLOCK_REALTIME_ALARM;
        bool monotonic = clock == TimerFd.CLOCK_MONOTONIC || clock == TimerFd.CLOCK_BOOTTIME || clock == TimerFd.CLOCK_BOOTTIME_ALARM;
        if (!realtime && !monotonic) return -Errno.EINVAL;
        UserProcess p = t.Process;
        var timer = new TimerFd(p.Host, realtime);
        p.Host.Scheduler.Register(timer, p.Host.Scheduler.Platform.CurrentCpu);
        var file = new TimerFdFile(timer, flags & TFD_NONBLOCK);
        return p.Files.Allocate(file, (flags & TFD_CLOEXEC) != 0, 0, Open.FdLimit(p));
    }

    public static KernelTask<long> InvokeSettime(UserThread t, SyscallArgs a)
    {
        var memory = t.Process.UserMemory;
        ulong value = 0;
        int r = memory.ReadTimespec(a.Pointer(2), out ulong interval);
        if (r == 0) r = memory.ReadTimespec(a.Pointer(2) + 16, out value);
        if (r != 0) return KernelTask<long>.FromResult(r);
        int flags = a.Int(1);
        if ((flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) != 0) return KernelTask<long>.FromResult(-Errno.EINVAL);
        TimerFdFile? file = Find(t, a.Fd(0), out long error);
        if (file == null) return KernelTask<long>.FromResult(error);
        return Settime(t, file.Timer, value, interval, (flags & TFD_TIMER_ABSTIME) != 0, a.Pointer(3));
    }

    private static async KernelTask<long> Settime(UserThread t, TimerFd timer, ulong value, ulong interval, bool absolute, ulong oldAddress)
    {
        var old = new TimerFdSetting();
        await timer.Run(t, () => timer.Set(value, interval, absolute, old));
        return oldAddress == 0 ? 0 : Write(t, oldAddress, old);
    }

    public static KernelTask<long> InvokeGettime(UserThread t, SyscallArgs a)
    {
        TimerFdFile? file = Find(t, a.Fd(0), out long error);
        if (file == null) return KernelTask<long>.FromResult(error);
        return Gettime(t, file.Timer, a.Pointer(1));
    }

    private static async KernelTask<long> Gettime(UserThread t, TimerFd timer, ulong address)
    {
        var now = new TimerFdSetting();
        await timer.Run(t, () => timer.Get(now));
        return Write(t, address, now);
    }

    private static TimerFdFile? Find(UserThread t, int fd, out long error)
    {
        OpenFile? f = t.Process.Files.Get(fd);
        error = f == null ? -Errno.EBADF : -Errno.EINVAL;
        return f as TimerFdFile;
    }

    // struct itimerspec: it_interval at 0, it_value at 16.
    private static long Write(UserThread t, ulong address, TimerFdSetting setting)
    {
        var memory = t.Process.UserMemory;
        if (memory.WriteTimespec(address, setting.Interval) != 0) return -Errno.EFAULT;
        return memory.WriteTimespec(address + 16, setting.Value) != 0 ? -Errno.EFAULT : 0;
    }
}
