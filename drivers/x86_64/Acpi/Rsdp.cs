// Rsdp: the Root System Description Pointer (ACPI 6.5 §5.2.5.3), which leads
// to the RSDT or XSDT; found through the PVH start info or by scanning the
// BIOS areas (§5.2.5.1).
using System;
using System.Buffers.Binary;
using Kevlar.Drivers.X86_64.Boot;

namespace Kevlar.Drivers.X86_64.Acpi;

/// <summary>
/// RSDP fields: +0 "RSD PTR ", +8 checksum (first 20 bytes), +9 OEM ID[6],
/// +15 revision, +16 u32 RSDT address; revision 2 adds +20 u32 length,
/// +24 u64 XSDT address, +32 extended checksum (whole length), +33 reserved[3].
/// </summary>
public readonly struct Rsdp
{
    /// <summary>Bytes covered by the first checksum (the ACPI 1.0 structure).</summary>
    public const int SizeV1 = 20;
    /// <summary>Bytes of the ACPI 2.0+ structure.</summary>
    public const int SizeV2 = 36;
    /// <summary>"RSD PTR " read as a little-endian u64.</summary>
    public const ulong SignatureValue = 0x2052545020445352;

    /// <summary>Physical address of the RSDP itself.</summary>
    public readonly ulong Address;
    /// <summary>0 for ACPI 1.0 (RSDT only), 2 for ACPI 2.0 and later.</summary>
    public readonly byte Revision;
    /// <summary>Physical address of the RSDT, or 0.</summary>
    public readonly uint RsdtAddress;
    /// <summary>Physical address of the XSDT (revision 2 and later), or 0.</summary>
    public readonly ulong XsdtAddress;

    private Rsdp(ulong address, byte revision, uint rsdt, ulong xsdt)
    {
        Address = address;
        Revision = revision;
        RsdtAddress = rsdt;
        XsdtAddress = xsdt;
    }

    /// <summary>True when the root table to walk is the XSDT (64-bit entries).</summary>
    public bool UsesXsdt => Revision >= 2 && XsdtAddress != 0;

    /// <summary>Address of the root table to walk: the XSDT when present, else the RSDT.</summary>
    public ulong RootTableAddress => UsesXsdt ? XsdtAddress : RsdtAddress;

    /// <summary>
    /// Reads and checks an RSDP at <paramref name="physAddr"/>. Errors:
    /// ReadFailed, RsdpNotFound (no signature), BadRsdpChecksum.
    /// </summary>
    public static AcpiError TryReadAt(IPhysicalMemoryReader memory, ulong physAddr, out Rsdp rsdp)
    {
        rsdp = default;
        Span<byte> raw = stackalloc byte[SizeV2];
        if (!memory.TryRead(physAddr, raw.Slice(0, SizeV1)))
            return AcpiError.ReadFailed;
        if (BinaryPrimitives.ReadUInt64LittleEndian(raw) != SignatureValue)
            return AcpiError.RsdpNotFound;
        if (!AcpiChecksum.IsValid(raw.Slice(0, SizeV1)))
            return AcpiError.BadRsdpChecksum;
        byte revision = raw[15];
        uint rsdt = BinaryPrimitives.ReadUInt32LittleEndian(raw.Slice(16));
        ulong xsdt = 0;
        if (revision >= 2)
        {
            if (!memory.TryRead(physAddr + SizeV1, raw.Slice(SizeV1)))
                return AcpiError.ReadFailed;
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(raw.Slice(20));
            if (length < SizeV2 || !AcpiChecksum.IsValid(raw))
                return AcpiError.BadRsdpChecksum;
            xsdt = BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(24));
        }
        rsdp = new Rsdp(physAddr, revision, rsdt, xsdt);
        return AcpiError.None;
    }

    /// <summary>
    /// Finds the RSDP: at <paramref name="hint"/> when non-zero (the PVH
    /// rsdp_paddr), otherwise by scanning the first KiB of the EBDA and then
    /// 0xE0000–0xFFFFF on 16-byte boundaries. Errors: those of
    /// <see cref="TryReadAt"/> for a hint; RsdpNotFound for a scan.
    /// </summary>
    public static AcpiError TryFind(IPhysicalMemoryReader memory, ulong hint, out Rsdp rsdp)
    {
        if (hint != 0)
            return TryReadAt(memory, hint, out rsdp);
        Span<byte> bda = stackalloc byte[2];
        if (memory.TryRead(0x40E, bda))
        {
            ulong ebda = (ulong)BinaryPrimitives.ReadUInt16LittleEndian(bda) << 4;
            if (ebda >= 0x400 && ebda < 0xA0000 && TryScan(memory, ebda, ebda + 1024, out rsdp))
                return AcpiError.None;
        }
        if (TryScan(memory, 0xE0000, 0x100000, out rsdp))
            return AcpiError.None;
        return AcpiError.RsdpNotFound;
    }

    /// <summary>Scans [start, end) a chunk at a time; unreadable chunks are skipped.</summary>
    private static bool TryScan(IPhysicalMemoryReader memory, ulong start, ulong end, out Rsdp rsdp)
    {
        rsdp = default;
        const int chunkSize = 1024;
        Span<byte> chunk = stackalloc byte[chunkSize];
        for (ulong chunkAddr = start & ~15UL; chunkAddr < end; chunkAddr += chunkSize)
        {
            int length = (int)Math.Min((ulong)chunkSize, end - chunkAddr) & ~15;
            if (length == 0 || !memory.TryRead(chunkAddr, chunk.Slice(0, length)))
                continue;
            for (int off = 0; off + 8 <= length; off += 16)
            {
                if (BinaryPrimitives.ReadUInt64LittleEndian(chunk.Slice(off)) != SignatureValue)
                    continue;
                if (TryReadAt(memory, chunkAddr + (ulong)off, out rsdp) == AcpiError.None)
                    return true;
            }
        }
        return false;
    }
}
