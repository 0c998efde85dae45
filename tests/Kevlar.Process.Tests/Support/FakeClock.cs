// FakeClock: the host twin of the system clock; the test sets the time.
using Kevlar.Runtime.Devices;

namespace Kevlar.Process.Tests.Support;

public sealed class FakeClock : ISystemClock
{
    public ulong MonotonicNanoseconds { get; set; } = 1_000_000_000;

    public ulong RealtimeAtBoot { get; set; } = 1_700_000_000UL * 1_000_000_000;
}
