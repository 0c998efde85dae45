// Reads physical memory through the identity map (the boot stub's first 4 GiB,
// then the kernel's map of RAM), for the boot-info and ACPI parsers.
using System;
using Kevlar.Drivers.X86_64.Memory;

namespace Kevlar.Drivers.X86_64.Boot;

public sealed unsafe class IdentityMappedMemory : IPhysicalMemoryReader
{
    public bool TryRead(ulong physAddr, Span<byte> dest)
    {
        ulong end = physAddr + (ulong)dest.Length;
        if (end < physAddr) return false;
        for (ulong page = physAddr & ~0xFFFUL; page < end; page += 0x1000)
            if (!PageTables.IsMapped(page)) return false;
        for (int i = 0; i < dest.Length; i++) dest[i] = *(byte*)(physAddr + (ulong)i);
        return true;
    }
}
