// Reads physical memory through the direct map (the boot stub's first 4 GiB,
// then the kernel's map of RAM and firmware ranges), for the boot-info and
// ACPI parsers. A range that is not mapped reads as failure, never a fault.
using System;
using Kevlar.Drivers.X86_64.Memory;

namespace Kevlar.Drivers.X86_64.Boot;

// Safety: every page of the range is checked mapped before it is read.
public sealed unsafe class DirectMappedMemory : IPhysicalMemoryReader
{
    public bool TryRead(ulong physAddr, Span<byte> dest)
    {
        ulong end = physAddr + (ulong)dest.Length;
        if (end < physAddr || end > DirectMap.Span) return false;
        for (ulong page = physAddr & ~0xFFFUL; page < end; page += 0x1000)
            if (!PageTables.IsMapped(DirectMap.Base + page)) return false;
        byte* from = DirectMap.ToVirtual(physAddr);
        for (int i = 0; i < dest.Length; i++) dest[i] = from[i];
        return true;
    }
}
