// The direct map: all of physical memory seen at DirectMap.Base + physical
// address (PML4 slot 256, kernel-only). The low half of every address space
// belongs to user processes, so the kernel reaches RAM, page tables, firmware
// tables and device registers only through here; only the image itself and
// the low megabyte (AP trampoline) stay identity-mapped, kernel-only. The PVH
// stub already maps the first 4 GiB here, so the direct map works from the
// first C# instruction.
namespace Kevlar.Drivers.X86_64.Memory;

// Safety: address arithmetic only; whoever dereferences the result owns that memory.
public static unsafe class DirectMap
{
    public const ulong Base = 0xFFFF_8000_0000_0000;
    /// <summary>The most physical memory the direct map covers (one PML4 slot).</summary>
    public const ulong Span = 512UL << 30;

    /// <summary>The kernel's pointer to physical address <paramref name="physical"/>.</summary>
    public static byte* ToVirtual(ulong physical) => (byte*)(Base + physical);

    /// <summary>The physical address behind a direct-map pointer.</summary>
    public static ulong ToPhysical(void* virt) => (ulong)virt - Base;

    public static bool Contains(ulong virt) => virt >= Base && virt - Base < Span;
}
