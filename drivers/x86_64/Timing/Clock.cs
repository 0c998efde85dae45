// Time: the TSC and the local APIC timer calibrated against the PIT over 50 ms.
// Delays and benchmark timings use the TSC; the APIC timer rate is reported
// and will drive preemption.
using Kevlar.Drivers.X86_64.Apic;
using Kevlar.Runtime.Metal;

namespace Kevlar.Drivers.X86_64.Timing;

public static class Clock
{
    public static ulong TscPerSecond;
    public static ulong ApicTimerPerSecond;

    public static void Calibrate()
    {
        const uint ticks = 59659; // 50 ms
        Pit.Start();
        LocalApic.StartFreeRunningTimer();
        uint apicStart = LocalApic.TimerCount;
        ulong tscStart = Native.ReadTsc();
        Pit.Wait(ticks);
        ulong tscEnd = Native.ReadTsc();
        uint apicEnd = LocalApic.TimerCount;
        LocalApic.StopTimer();
        TscPerSecond = (tscEnd - tscStart) * Pit.Frequency / ticks;
        ApicTimerPerSecond = (ulong)(apicStart - apicEnd) * 16 * Pit.Frequency / ticks;
        if (TscPerSecond == 0) TscPerSecond = 1;
        s_nanosecondsPerTsc32 = (1_000_000_000UL << 32) / TscPerSecond;
        Kevlar.Runtime.Threading.LockWatch.SetTickRate(TscPerSecond / 1_000_000 == 0 ? 1 : TscPerSecond / 1_000_000);
    }

    // Nanoseconds per TSC tick in 32.32 fixed point, so reading the clock needs no division.
    private static ulong s_nanosecondsPerTsc32;

    /// <summary>NowNanoseconds's multiplier (0 before calibration): the vDSO repeats the conversion.</summary>
    public static ulong NanosecondsPerTsc32 => s_nanosecondsPerTsc32;

    /// <summary>Nanoseconds since the TSC started: a multiply, no division (the hot path of the
    /// syscall accounting and the timers). Exact to the fixed point's 2^-32 ns per tick.</summary>
    public static ulong NowNanoseconds
    {
        get
        {
            ulong tsc = Native.ReadTsc(), m = s_nanosecondsPerTsc32;
            if (m == 0) return TscToNanoseconds(tsc); // before calibration
            return (tsc >> 32) * m + (((tsc & 0xFFFF_FFFF) * m) >> 32);
        }
    }

    // tsc * 1e9 would overflow 64 bits after ~18 s at 1 GHz: split whole seconds from the rest.
    public static ulong TscToNanoseconds(ulong tsc)
        => tsc / TscPerSecond * 1_000_000_000UL + tsc % TscPerSecond * 1_000_000_000UL / TscPerSecond;

    public static void DelayMicroseconds(ulong us)
    {
        ulong end = Native.ReadTsc() + TscPerSecond / 1_000_000 * us;
        while (Native.ReadTsc() < end) Native.Pause();
    }
}
