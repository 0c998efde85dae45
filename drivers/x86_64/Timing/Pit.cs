// The 8254 programmable interval timer, used once as the reference clock to
// calibrate the local APIC timer and the TSC: channel 2, gated through port
// 0x61, counted down in mode 0 and polled (no interrupt needed).
using Kevlar.Runtime.Metal;

namespace Kevlar.Drivers.X86_64.Timing;

public static class Pit
{
    public const uint Frequency = 1193182;

    /// <summary>Busy-waits <paramref name="ticks"/> PIT ticks (at most 65535, about 55 ms).</summary>
    public static void Wait(ushort ticks)
    {
        byte gate = Native.In8(0x61);
        Native.Out8(0x61, (byte)((gate & 0xFC) | 0x01));  // gate on, speaker off
        Native.Out8(0x43, 0xB0);                          // channel 2, lobyte/hibyte, mode 0
        Native.Out8(0x42, (byte)ticks);
        Native.Out8(0x42, (byte)(ticks >> 8));
        // Reloading the count restarts the countdown; OUT2 (bit 5) goes high at zero.
        byte g = Native.In8(0x61);
        Native.Out8(0x61, (byte)(g & 0xFE));
        Native.Out8(0x61, (byte)(g | 0x01));
        while ((Native.In8(0x61) & 0x20) == 0) Native.Pause();
    }
}
