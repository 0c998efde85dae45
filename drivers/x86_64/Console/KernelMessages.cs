// KernelMessages: the kernel's message log (Linux's printk ring, what
// dmesg(1) reads through syslog(2)): every character the kernel writes to its
// console, kept in a fixed 64 KiB ring in .bss — so it works from the first
// line of boot, before the heap — with "<6>" (KERN_INFO) opening each line as
// Linux's syslog records do. Lines the `quiet` option keeps off the console are
// still recorded. Writers hold the console (SerialConsole.Begin) or are the
// boot CPU alone; readers copy under the same rule (Snapshot).
namespace Kevlar.Drivers.X86_64.Console;

public static class KernelMessages
{
    public const int Capacity = 65536;

    // Safety: a fixed buffer inside a static struct is the only storage that exists before the heap.
    private unsafe struct Ring
    {
        public fixed byte Bytes[Capacity];
    }

    private static Ring s_ring;
    private static long s_written;      // bytes ever recorded
    private static long s_clearedAt;    // s_written when syslog last cleared
    private static bool s_midLine;

    /// <summary>Records one character of kernel output.</summary>
    public static void Record(char c)
    {
        if (!s_midLine)
        {
            Put((byte)'<');
            Put((byte)'6');
            Put((byte)'>');
            s_midLine = true;
        }
        Put((byte)c);
        if (c == '\n') s_midLine = false;
    }

    // Safety: the index is reduced modulo Capacity, the ring's size.
    private static unsafe void Put(byte b)
    {
        fixed (byte* ring = s_ring.Bytes) ring[s_written % Capacity] = b;
        s_written++;
    }

    /// <summary>The log as syslog(2) reads it: the oldest bytes still held (since the last clear)
    /// into <paramref name="into"/>; returns how many.</summary>
    // Safety: every index into the ring is reduced modulo Capacity.
    public static unsafe int Snapshot(System.Span<byte> into, bool sinceClear)
    {
        long from = s_written > Capacity ? s_written - Capacity : 0;
        if (sinceClear && s_clearedAt > from) from = s_clearedAt;
        int n = (int)System.Math.Min(into.Length, s_written - from);
        fixed (byte* ring = s_ring.Bytes)
            for (int i = 0; i < n; i++) into[i] = ring[(from + i) % Capacity];
        return n;
    }

    /// <summary>Bytes held since the last clear.</summary>
    public static int Unread => (int)System.Math.Min(Capacity, s_written - s_clearedAt);

    /// <summary>SYSLOG_ACTION_CLEAR.</summary>
    public static void Clear() => s_clearedAt = s_written;
}
