// The clock on metal: the calibrated TSC since boot, and the CMOS RTC read
// once at boot for CLOCK_REALTIME.
using System;
using Kevlar.Drivers.X86_64.Console;
using Kevlar.Drivers.X86_64.Cpu;
using Kevlar.Drivers.X86_64.Diagnostics;
using Kevlar.Drivers.X86_64.Timing;
using Kevlar.Runtime.Devices;

namespace Kevlar.Drivers.X86_64;

public sealed class MetalClock : ISystemClock
{
    private readonly ulong _bootNanoseconds;
    private readonly ulong _realtimeAtBoot;

    public MetalClock()
    {
        _bootNanoseconds = Clock.NowNanoseconds;
        _realtimeAtBoot = CmosRtc.ReadUnixSeconds() * 1_000_000_000;
    }

    public ulong MonotonicNanoseconds => Clock.NowNanoseconds - _bootNanoseconds;

    /// <summary>Clock.NowNanoseconds at MonotonicNanoseconds 0 (the vDSO's [vvar] page carries it).</summary>
    public ulong BootNanoseconds => _bootNanoseconds;

    public ulong RealtimeAtBoot => _realtimeAtBoot;
}
