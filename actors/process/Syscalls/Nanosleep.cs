// nanosleep(2) and clock_nanosleep(2): the thread waits on a timer without
// holding its CPU. A bad timespec (tv_nsec outside [0, 1e9), negative
// seconds) is -EINVAL; a signal handler interrupts the sleep with -EINTR and,
// for a relative sleep, the time left in *rem. clock_nanosleep returns the
// error number itself rather than -1/errno (the C library does that part),
// so the kernel's -EINVAL is the same either way.
using System;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Nanosleep
{
    public const int TIMER_ABSTIME = 1;

    public static KernelTask<long> InvokeNanosleep(UserThread t, SyscallArgs a)
        => Start(t, ClockGettime.CLOCK_MONOTONIC, 0, a.Pointer(0), a.Pointer(1));

    public static KernelTask<long> InvokeClockNanosleep(UserThread t, SyscallArgs a)
        => Start(t, a.Int(0), a.Int(1), a.Pointer(2), a.Pointer(3));

    private static KernelTask<long> Start(UserThread t, int clock, int flags, ulong request, ulong remaining)
    {
        ProcessHost host = t.Process.Host;
        if (clock == ClockGettime.CLOCK_THREAD_CPUTIME_ID || !ClockGettime.TryRead(t, clock, out ulong clockNow))
            return KernelTask<long>.FromResult(-Errno.EINVAL);
        int r = t.Process.UserMemory.ReadTimespec(request, out ulong ns);
        if (r != 0) return KernelTask<long>.FromResult(r);
        bool absolute = (flags & TIMER_ABSTIME) != 0;
        ulong mono = host.Clock.MonotonicNanoseconds;
        ulong deadline = absolute ? (ns > clockNow ? mono + (ns - clockNow) : mono) : mono + ns;
        if (deadline <= mono) return KernelTask<long>.FromResult(0);
        if (!absolute && remaining != 0)
            t.OnInterrupt(() => t.Process.UserMemory.WriteTimespec(remaining, deadline > host.Clock.MonotonicNanoseconds ? deadline - host.Clock.MonotonicNanoseconds : 0));
        return SleepUntil(t, deadline);
    }

    private static async KernelTask<long> SleepUntil(UserThread t, ulong deadline)
    {
        ProcessHost host = t.Process.Host;
        while (host.Clock.MonotonicNanoseconds < deadline)
        {
            var due = new KernelEvent<int>(t);
            t.BeginWait(due, deadline);
            await due;
        }
        t.EndWait();
        return 0;
    }
}
