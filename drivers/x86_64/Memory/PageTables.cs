// The kernel's own 4-level page tables, replacing the boot stub's map. The low
// half belongs to user processes: only the first 2 MiB-aligned stretch holding
// the low megabyte (AP trampoline) and the image is identity-mapped there,
// kernel-only, in 4 KiB pages so text is read-only+executable, rodata
// read-only and data no-execute; page 0 is unmapped to catch null
// dereferences. Usable RAM is mapped read-write, no-execute at the direct map
// (DirectMap.Base + physical; 2 MiB pages where a whole aligned 2 MiB lies in
// RAM), firmware ranges (ACPI tables, reserved) read-only there, device
// registers uncached there on request. Nothing else is mapped: the PCI hole
// stays free. Kernel stacks live in a separate high region with an unmapped
// guard page below each. Tables are reached through the direct map; every
// upper-half PML4 slot the kernel uses exists before the first user address
// space copies them, so kernel mappings made later appear in every process.
using Kevlar.Runtime.Metal;
using Kevlar.Runtime.Metal.Memory;

namespace Kevlar.Drivers.X86_64.Memory;

public static unsafe class PageTables
{
    public const ulong Present = 1, Writable = 2, User = 4, WriteThrough = 8, CacheDisable = 0x10, Large = 0x80, Global = 0x100;
    public const ulong NoExecute = 1UL << 63;
    private const ulong AddressMask = 0x000F_FFFF_FFFF_F000;
    private const ulong TwoMiB = 0x200000;

    /// <summary>Kernel stacks: one 1 MiB slot per CPU from here (PML4 slot 511).</summary>
    public const ulong StackRegion = 0xFFFF_FF80_0000_0000;
    public const ulong StackSlot = 0x100000;

    private static ulong* s_pml4;
    /// <summary>The physical address of the kernel's PML4 (for CR3).</summary>
    public static ulong Root => DirectMap.ToPhysical(s_pml4);
    /// <summary>The kernel's PML4, through the direct map.</summary>
    public static ulong* KernelPml4 => s_pml4;
    /// <summary>End of the identity-mapped kernel stretch (2 MiB-aligned): user memory starts here.</summary>
    public static ulong KernelLowEnd;

    /// <summary>Builds the tables for the image, the RAM in <paramref name="ram"/> and the
    /// firmware ranges (pairs [start, end) in <paramref name="firmware"/>).</summary>
    public static void Build(Kevlar.Drivers.X86_64.Boot.MemoryMap ram, ulong* firmware, int firmwareCount)
    {
        s_pml4 = NewTable();
        ulong textStart = Native.TextStart() & ~0xFFFUL, rodata = Native.RodataStart() & ~0xFFFUL, data = Native.DataStart() & ~0xFFFUL;
        ulong imageStart = Native.ImageStart(), imageEnd = (Native.ImageEnd() + 0xFFF) & ~0xFFFUL;
        ulong fineEnd = (imageEnd + TwoMiB - 1) & ~(TwoMiB - 1);
        KernelLowEnd = fineEnd;
        for (ulong page = 0x1000; page < fineEnd; page += 0x1000)
        {
            ulong flags;
            if (page < imageStart) flags = Present | Writable;                         // low memory: the AP trampoline runs here
            else if (page < rodata) flags = Present;                                   // stubs and text: read-only, executable
            else if (page < data) flags = Present | NoExecute;                         // rodata
            else flags = Present | Writable | NoExecute;                               // data, bss, free RAM
            Map4K(page, page, flags);
        }
        for (int i = 0; i < ram.Count; i++)
            MapRam(ram[i].Start, ram[i].End);
        for (int i = 0; i < firmwareCount; i++)
        {
            ulong start = firmware[2 * i] & ~0xFFFUL, end = firmware[2 * i + 1];
            for (ulong p = start; p < end; p += 0x1000)
                if (!IsMapped(DirectMap.Base + p)) Map4K(DirectMap.Base + p, p, Present | NoExecute);
        }
        // The stack region's slot, so that stacks mapped later are shared by every address space.
        Walk(StackRegion, 3, true);
    }

    /// <summary>Maps physical [start, end) read-write at the direct map: 2 MiB pages for whole
    /// aligned chunks, 4 KiB pages elsewhere.</summary>
    private static void MapRam(ulong start, ulong end)
    {
        ulong p = start;
        while (p < end)
        {
            if ((p & (TwoMiB - 1)) == 0 && p + TwoMiB <= end)
            {
                Map2M(DirectMap.Base + p, p, Present | Writable | NoExecute);
                p += TwoMiB;
            }
            else
            {
                Map4K(DirectMap.Base + p, p, Present | Writable | NoExecute);
                p += 0x1000;
            }
        }
    }

    /// <summary>Switches this CPU to the kernel's tables (write-protect on, so read-only pages hold for the kernel too).</summary>
    public static void Activate()
    {
        Native.WriteCr3(Root);
        Native.WriteCr0(Native.ReadCr0() | (1UL << 16));
    }

    /// <summary>Maps device registers uncached at the direct map; returns their kernel address.</summary>
    public static ulong MapMmio(ulong physical, ulong bytes)
    {
        for (ulong p = physical & ~0xFFFUL; p < physical + bytes; p += 0x1000)
            Map4K(DirectMap.Base + p, p, Present | Writable | CacheDisable | WriteThrough | NoExecute);
        return DirectMap.Base + physical;
    }

    /// <summary>Maps loader data outside usable RAM (the initramfs) read-only at the direct map.</summary>
    public static void MapBootData(ulong physical, ulong bytes)
    {
        for (ulong p = physical & ~0xFFFUL; p < physical + bytes; p += 0x1000)
            if (!IsMapped(DirectMap.Base + p)) Map4K(DirectMap.Base + p, p, Present | NoExecute);
    }

    public static void Map4K(ulong virt, ulong phys, ulong flags)
    {
        ulong* pt = Walk(virt, 1, true);
        pt[(virt >> 12) & 511] = (phys & AddressMask) | flags;
        Native.Invlpg(virt);
    }


    private static void Map2M(ulong virt, ulong phys, ulong flags)
    {
        ulong* pd = Walk(virt, 2, true);
        pd[(virt >> 21) & 511] = (phys & AddressMask) | flags | Large;
    }

    /// <summary>True when <paramref name="virt"/> can be read without faulting.</summary>
    public static bool IsMapped(ulong virt)
    {
        // The boot stub maps the first 4 GiB at 0 and at the direct map, page 0 included.
        if (s_pml4 == null) return virt < 0x1_0000_0000 || (DirectMap.Contains(virt) && virt - DirectMap.Base < 0x1_0000_0000);
        ulong* table = s_pml4;
        for (int level = 4; level >= 1; level--)
        {
            ulong entry = table[(virt >> (12 + 9 * (level - 1))) & 511];
            if ((entry & Present) == 0) return false;
            if (level == 1 || (level <= 3 && (entry & Large) != 0)) return true;
            table = (ulong*)DirectMap.ToVirtual(entry & AddressMask);
        }
        return false;
    }

    /// <summary>The table at <paramref name="level"/> (1 = PT, 2 = PD) covering virt, created if asked.</summary>
    private static ulong* Walk(ulong virt, int level, bool create)
    {
        ulong* table = s_pml4;
        for (int l = 4; l > level; l--)
        {
            ulong index = (virt >> (12 + 9 * (l - 1))) & 511;
            ulong entry = table[index];
            if ((entry & Present) == 0)
            {
                if (!create) return null;
                ulong* next = NewTable();
                entry = DirectMap.ToPhysical(next) | Present | Writable;
                table[index] = entry;
            }
            else if ((entry & Large) != 0)
            {
                Kevlar.Runtime.Metal.Exports.FailFastExports.Fail("page table walk into a large page");
            }
            table = (ulong*)DirectMap.ToVirtual(entry & AddressMask);
        }
        return table;
    }

    /// <summary>A zeroed page below 4 GiB (the AP trampoline loads CR3 in 32-bit mode), through the direct map.</summary>
    private static ulong* NewTable()
    {
        return (ulong*)PhysicalMemory.AllocateZeroed(1, "page tables", 0x1_0000_0000);
    }
}
