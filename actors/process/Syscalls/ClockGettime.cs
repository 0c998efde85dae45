// clock_gettime(2): CLOCK_REALTIME from the RTC at boot plus the monotonic
// clock; CLOCK_MONOTONIC (and _RAW, _COARSE, BOOTTIME) from the calibrated
// TSC; the process and thread CPU-time clocks from the thread's accounting.
// Other clocks (and the per-pid CPU clocks) are -EINVAL.
using System.Buffers.Binary;
using System;

namespace Kevlar.Process.Syscalls;

public static class ClockGettime
{
    public const int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3, CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5,
        CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7;

    public static long Invoke(UserThread t, in SyscallArgs a)
    {
        if (!TryRead(t, a.Int(0), out ulong ns)) return -Errno.EINVAL;
        return t.Process.UserMemory.WriteTimespec(a.Pointer(1), ns);
    }

    /// <summary>Nanoseconds on <paramref name="clock"/> as <paramref name="t"/> sees it; false for a clock not kept.</summary>
    public static bool TryRead(UserThread t, int clock, out ulong ns)
    {
        if (clock == CLOCK_PROCESS_CPUTIME_ID || clock == CLOCK_THREAD_CPUTIME_ID)
        {
            ns = t.UserNanoseconds + t.SystemNanoseconds + t.RunningNanoseconds;
            return true;
        }
        return TryRead(t.Process.Host, clock, out ns);
    }

    /// <summary>Nanoseconds on a system-wide <paramref name="clock"/>; false for a clock not kept.</summary>
    public static bool TryRead(ProcessHost host, int clock, out ulong ns)
    {
        ulong mono = host.Clock.MonotonicNanoseconds;
        switch (clock)
        {
            case CLOCK_REALTIME:
            case CLOCK_REALTIME_COARSE:
                ns = host.Clock.RealtimeAtBoot + mono;
                return true;
            case CLOCK_MONOTONIC:
            case CLOCK_MONOTONIC_RAW:
            case CLOCK_MONOTONIC_COARSE:
            case CLOCK_BOOTTIME:
                ns = mono;
                return true;
            default:
                ns = 0;
                return false;
        }
    }
}
