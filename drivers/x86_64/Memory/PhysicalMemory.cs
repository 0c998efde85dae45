// The machine's physical page frames: the allocator over RAM from the boot
// memory map, with the low megabyte, the image and the bitmap itself reserved.
using Kevlar.Drivers.X86_64.Boot;
using Kevlar.Runtime.Metal;
using Kevlar.Runtime.Metal.Memory;

namespace Kevlar.Drivers.X86_64.Memory;

public static unsafe class PhysicalMemory
{
    private static PageFrameAllocator s_frames;
    /// <summary>The end of the highest usable RAM range.</summary>
    public static ulong RamEnd;
    /// <summary>Usable RAM in the boot memory map, in bytes.</summary>
    public static ulong UsableBytes;

    /// <summary>Frees the RAM in <paramref name="map"/> except the low megabyte and
    /// [image start, <paramref name="reservedEnd"/>) (physical), then places the bitmap after that.</summary>
    public static void Initialize(MemoryMap map, ulong reservedEnd)
    {
        for (int i = 0; i < map.Count; i++)
        {
            ulong end = map[i].Start + map[i].Length;
            if (end > RamEnd) RamEnd = end;
        }
        UsableBytes = map.TotalBytes;
        ulong frames = RamEnd / PageFrameAllocator.PageSize;
        ulong bitmapBytes = ((frames + 63) / 64) * 8;
        ulong bitmap = (reservedEnd + 0xFFF) & ~0xFFFUL;
        fixed (PageFrameAllocator* a = &s_frames)
        {
            a->Initialize((ulong*)DirectMap.ToVirtual(bitmap), frames);
            for (int i = 0; i < map.Count; i++) a->Release(map[i].Start, map[i].Length);
            a->Reserve(0, 0x100000);
            a->Reserve(Native.ImageStart(), bitmap + bitmapBytes - Native.ImageStart());
        }
    }

    public static ulong FreeBytes => s_frames.FreeFrames * PageFrameAllocator.PageSize;

    /// <summary>Allocates contiguous frames (not cleared) below limit; returns their physical
    /// address, 0 when out of memory.</summary>
    public static ulong AllocatePages(ulong count, ulong limit = ulong.MaxValue)
    {
        fixed (PageFrameAllocator* a = &s_frames) return a->Allocate(count, limit);
    }

    /// <summary>Contiguous zero-filled frames below limit for kernel structures, as a direct-map
    /// pointer; panics naming <paramref name="purpose"/> when memory is exhausted (boot cannot go
    /// on without them).</summary>
    public static void* AllocateZeroed(ulong count, string purpose, ulong limit = ulong.MaxValue)
    {
        ulong at = AllocatePages(count, limit);
        if (at == 0) Kevlar.Runtime.Metal.Exports.FailFastExports.Fail(string.Concat("out of physical memory for ", purpose));
        ulong* p = (ulong*)DirectMap.ToVirtual(at);
        for (ulong i = 0; i < count * 512; i++) p[i] = 0;
        return p;
    }

    /// <summary>Returns frames to the allocator.</summary>
    public static void FreePages(ulong physical, ulong count)
    {
        fixed (PageFrameAllocator* a = &s_frames) a->Free(physical, count);
    }
}
