// FakeClock: an ISystemClock the test moves by hand.
using Kevlar.Runtime.Devices;

namespace Kevlar.Vfs.Tests.Support;

public sealed class FakeClock : ISystemClock
{
    /// <summary>Realtime at boot: 2023-11-14T22:13:20Z.</summary>
    public ulong RealtimeAtBoot { get; set; } = 1_700_000_000UL * 1_000_000_000UL;
    public ulong MonotonicNanoseconds { get; set; } = 1;

    /// <summary>Moves time forward.</summary>
    public void Advance(ulong nanoseconds) => MonotonicNanoseconds += nanoseconds;
}
