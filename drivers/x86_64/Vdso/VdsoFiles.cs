// The vDSO as the image carries it (vdso.c, built by qemu/build-image.sh into
// the stub object) and its [vvar] page: what the process subsystem maps into
// every process at exec (actors/process/Exec/Vdso.cs).
//
// [vvar] layout (struct vvar in vdso.c; little-endian):
//   0  u32 magic "vvar"   4  u32 TSC usable (0: the vDSO makes system calls)
//   8  u64 ns per TSC tick, 32.32   16  u64 Clock.NowNanoseconds at boot
//   24 u64 CLOCK_REALTIME at boot, ns
// Nothing in it changes after boot (no settimeofday yet), so each process may
// hold its own copy; a clock that can be set needs one shared frame instead.
using System;
using System.Buffers.Binary;
using Kevlar.Drivers.X86_64.Timing;
using Kevlar.Runtime.Metal;

namespace Kevlar.Drivers.X86_64.Vdso;

public static class VdsoFiles
{
    public const uint VvarMagic = 0x72617676;
    public const int VvarSize = 4096;

    /// <summary>The vDSO's ELF file (empty when the image was built without one).</summary>
    public static byte[] Image()
    {
        // Safety: the two symbols bound the bytes StubGen placed in the image's read-only stub blob.
        unsafe
        {
            byte* start = Native.VdsoImage(), end = Native.VdsoImageEnd();
            var bytes = new byte[(int)(end - start)];
            new ReadOnlySpan<byte>(start, bytes.Length).CopyTo(bytes);
            return bytes;
        }
    }

    /// <summary>The [vvar] page for <paramref name="clock"/>, after the TSC was calibrated.</summary>
    public static byte[] Vvar(MetalClock clock)
    {
        var page = new byte[VvarSize];
        Span<byte> p = page;
        ulong multiplier = Clock.NanosecondsPerTsc32;
        BinaryPrimitives.WriteUInt32LittleEndian(p, VvarMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(p.Slice(4), multiplier != 0 ? 1u : 0u);
        BinaryPrimitives.WriteUInt64LittleEndian(p.Slice(8), multiplier);
        BinaryPrimitives.WriteUInt64LittleEndian(p.Slice(16), clock.BootNanoseconds);
        BinaryPrimitives.WriteUInt64LittleEndian(p.Slice(24), clock.RealtimeAtBoot);
        return page;
    }
}
