// gettimeofday(2), time(2), clock_getres(2): wall-clock time and the
// resolution of the clocks clock_gettime serves (1 ns: the TSC).
using System;

namespace Kevlar.Process.Syscalls;

public static class TimeOfDay
{
    public static long Gettimeofday(UserThread t, in SyscallArgs a)
    {
        ClockGettime.TryRead(t.Process.Host, ClockGettime.CLOCK_REALTIME, out ulong ns);
        if (a.Pointer(0) != 0)
        {
            int r = t.Process.UserMemory.WriteUInt64(a.Pointer(0), ns / 1_000_000_000);
            if (r == 0) r = t.Process.UserMemory.WriteUInt64(a.Pointer(0) + 8, ns % 1_000_000_000 / 1000);
            if (r != 0) return r;
        }
        if (a.Pointer(1) != 0) return t.Process.UserMemory.WriteUInt64(a.Pointer(1), 0); // struct timezone: UTC
        return 0;
    }

    public static long Time(UserThread t, in SyscallArgs a)
    {
        ClockGettime.TryRead(t.Process.Host, ClockGettime.CLOCK_REALTIME, out ulong ns);
        long seconds = (long)(ns / 1_000_000_000);
        if (a.Pointer(0) != 0)
        {
            int r = t.Process.UserMemory.WriteUInt64(a.Pointer(0), (ulong)seconds);
            if (r != 0) return r;
        }
        return seconds;
    }

    public static long ClockGetres(UserThread t, in SyscallArgs a)
    {
        if (!ClockGettime.TryRead(t, a.Int(0), out ulong unused)) return -Errno.EINVAL;
        return a.Pointer(1) == 0 ? 0 : t.Process.UserMemory.WriteTimespec(a.Pointer(1), 1);
    }
}
