// Objects allocated before the collected heap exists (boot parsing, static
// bases, per-CPU setup) come from a bump region and are never freed. The
// collector treats every object here as a root (it scans their fields), so an
// early object may safely point into the heap later.
using Internal.Runtime;
using Kevlar.Runtime.Metal.Exports;

namespace Kevlar.Runtime.Metal.Memory;

public static unsafe class EarlyArena
{
    private static byte* s_start, s_next, s_end;

    public static void Initialize(byte* start, ulong bytes)
    {
        s_start = s_next = start;
        s_end = start + bytes;
    }

    public static byte* Start => s_start;
    public static byte* Next => s_next;
    public static ulong UsedBytes => (ulong)(s_next - s_start);

    /// <summary>Bump-allocates a zeroed object (boot runs on one CPU, so no lock).</summary>
    public static byte* Allocate(MethodTable* mt, ulong size)
    {
        size = (size + 7) & ~7UL;
        if (size < 24) size = 24;
        if (s_next + size > s_end) FailFastExports.Fail("early arena exhausted");
        byte* cell = s_next;
        s_next += size;
        for (ulong i = 0; i < size; i += 8) *(ulong*)(cell + i) = 0;
        *(MethodTable**)(cell + 8) = mt;
        return cell + 8;
    }
}
