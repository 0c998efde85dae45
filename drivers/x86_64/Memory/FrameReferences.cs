// FrameReferences: how many user page-table entries map each physical frame,
// so fork can share frames copy-on-write and the last unmap frees them. One
// 32-bit count per frame of RAM, changed atomically (processes sharing a
// frame may run on different CPUs). Kernel frames are never counted.
using System.Threading;

namespace Kevlar.Drivers.X86_64.Memory;

// Safety: the table covers every frame below PhysicalMemory.RamEnd, and every
// index is checked against that bound before use.
public static unsafe class FrameReferences
{
    private static int* s_counts;
    private static ulong s_frames;

    public static void Initialize()
    {
        s_frames = PhysicalMemory.RamEnd / 4096;
        ulong pages = (s_frames * 4 + 4095) / 4096;
        s_counts = (int*)PhysicalMemory.AllocateZeroed(pages, "frame reference counts");
    }

    /// <summary>A newly mapped frame: one reference.</summary>
    public static void SetOne(ulong frame) => Volatile.Write(ref *Slot(frame), 1);

    public static void Add(ulong frame) => Interlocked.Increment(ref *Slot(frame));

    /// <summary>Drops one reference; true when it was the last (the caller frees the frame).</summary>
    public static bool Release(ulong frame) => Interlocked.Decrement(ref *Slot(frame)) == 0;

    public static int Count(ulong frame) => Volatile.Read(ref *Slot(frame));

    private static int* Slot(ulong frame)
    {
        ulong index = frame / 4096;
        if (index >= s_frames) Kevlar.Runtime.Metal.Exports.FailFastExports.Fail("frame reference outside RAM");
        return s_counts + index;
    }
}
