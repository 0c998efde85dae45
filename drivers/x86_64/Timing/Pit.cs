// The 8254 programmable interval timer, used once as the reference clock to
// calibrate the local APIC timer and the TSC. Channel 0 runs as a rate
// generator from the largest count and is read back through the latch
// command, so no interrupt and no port 0x61 gate is needed (machines such as
// QEMU's microvm have the PIT but no PC-speaker gate).
using Kevlar.Runtime.Metal;

namespace Kevlar.Drivers.X86_64.Timing;

public static class Pit
{
    public const uint Frequency = 1193182;
    private const ushort Channel0 = 0x40, Command = 0x43;
    private const uint Reload = 0x10000;

    /// <summary>Starts channel 0 counting down from 65536, repeating (mode 2, binary).</summary>
    public static void Start()
    {
        Native.Out8(Command, 0x34);
        Native.Out8(Channel0, 0);
        Native.Out8(Channel0, 0);
    }

    /// <summary>Busy-waits <paramref name="ticks"/> PIT ticks. The count is polled far more often than
    /// it wraps (every 55 ms), so each step's distance is unambiguous.</summary>
    public static void Wait(uint ticks)
    {
        uint last = Count();
        uint elapsed = 0;
        while (elapsed < ticks)
        {
            uint now = Count();
            elapsed += last >= now ? last - now : last + Reload - now;
            last = now;
        }
    }

    /// <summary>The current count (latched so both bytes belong to one reading).</summary>
    private static uint Count()
    {
        Native.Out8(Command, 0x00);
        uint lo = Native.In8(Channel0);
        uint hi = Native.In8(Channel0);
        return hi << 8 | lo;
    }
}
