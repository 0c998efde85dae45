// getitimer(2), setitimer(2), alarm(2): the process's interval timers
// (Signals/IntervalTimers.cs). struct itimerval is { it_interval; it_value; },
// two struct timevals (32 bytes). setitimer reads the new value first (-EFAULT;
// -EINVAL for a negative second or a microsecond outside 0..999999; a NULL one
// disarms, as Linux still accepts), then checks which (-EINVAL), then writes
// the old value when asked (-EFAULT). alarm(s) is setitimer(ITIMER_REAL, s)
// returning the seconds that were left, rounded as Linux's alarm_setitimer:
// up from half a second, and at least 1 while the old alarm was armed.
using System;
using System.Buffers.Binary;
using Kevlar.Process.Signals;

namespace Kevlar.Process.Syscalls;

public static class Itimer
{
    private const ulong NsPerUs = 1000, UsPerS = 1_000_000;

    public static long InvokeGetitimer(UserThread t, in SyscallArgs a)
    {
        int which = a.Int(0);
        if (which < IntervalTimers.ITIMER_REAL || which > IntervalTimers.ITIMER_PROF) return -Errno.EINVAL;
        t.Process.IntervalTimers.Get(which, out ulong value, out ulong interval);
        return WriteItimerval(t, a.Pointer(1), value, interval);
    }

    public static long InvokeSetitimer(UserThread t, in SyscallArgs a)
    {
        int which = a.Int(0);
        ulong newAddress = a.Pointer(1), oldAddress = a.Pointer(2);
        ulong value = 0, interval = 0;
        if (newAddress != 0)
        {
            Span<byte> b = stackalloc byte[32];
            if (t.Process.UserMemory.Read(newAddress, b) != 0) return -Errno.EFAULT;
            if (!Timeval(b.Slice(0, 16), out interval) || !Timeval(b.Slice(16, 16), out value)) return -Errno.EINVAL;
        }
        if (which < IntervalTimers.ITIMER_REAL || which > IntervalTimers.ITIMER_PROF) return -Errno.EINVAL;
        IntervalTimers timers = t.Process.IntervalTimers;
        timers.Get(which, out ulong oldValue, out ulong oldInterval);
        timers.Set(which, value, interval);
        return oldAddress == 0 ? 0 : WriteItimerval(t, oldAddress, oldValue, oldInterval);
    }

    public static long InvokeAlarm(UserThread t, in SyscallArgs a)
    {
        uint seconds = a.UInt(0);
        IntervalTimers timers = t.Process.IntervalTimers;
        timers.Get(IntervalTimers.ITIMER_REAL, out ulong left, out _);
        timers.Set(IntervalTimers.ITIMER_REAL, seconds * UsPerS * NsPerUs, 0);
        ulong s = left / (UsPerS * NsPerUs), us = left % (UsPerS * NsPerUs) / NsPerUs;
        if ((s == 0 && us != 0) || us >= UsPerS / 2) s++;
        return (long)s;
    }

    // A struct timeval as ns: false unless tv_sec >= 0 and 0 <= tv_usec < 1000000 (timeval_valid).
    private static bool Timeval(ReadOnlySpan<byte> b, out ulong ns)
    {
        long sec = BinaryPrimitives.ReadInt64LittleEndian(b);
        long usec = BinaryPrimitives.ReadInt64LittleEndian(b.Slice(8));
        ns = 0;
        if (sec < 0 || usec < 0 || usec >= (long)UsPerS) return false;
        ns = (ulong)sec * UsPerS * NsPerUs + (ulong)usec * NsPerUs;
        return true;
    }

    // Writes { it_interval, it_value }, each ns cut to microseconds (ns_to_kernel_old_timeval).
    private static long WriteItimerval(UserThread t, ulong address, ulong value, ulong interval)
    {
        Span<byte> b = stackalloc byte[32];
        PutTimeval(b.Slice(0, 16), interval);
        PutTimeval(b.Slice(16, 16), value);
        return t.Process.UserMemory.Write(address, b) != 0 ? -Errno.EFAULT : 0;
    }

    private static void PutTimeval(Span<byte> b, ulong ns)
    {
        ulong us = ns / NsPerUs;
        BinaryPrimitives.WriteInt64LittleEndian(b, (long)(us / UsPerS));
        BinaryPrimitives.WriteInt64LittleEndian(b.Slice(8), (long)(us % UsPerS));
    }
}
