// ISystemClock: time as the kernel keeps it (metal: the calibrated TSC, and the CMOS RTC at boot).
namespace Kevlar.Runtime.Devices;

public interface ISystemClock
{
    /// <summary>Nanoseconds since boot; never goes back.</summary>
    ulong MonotonicNanoseconds { get; }

    /// <summary>Nanoseconds since the Unix epoch at boot (CLOCK_REALTIME at MonotonicNanoseconds 0).</summary>
    ulong RealtimeAtBoot { get; }
}
