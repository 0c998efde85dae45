// PvhMemoryMapEntry: one hvm_memmap_table_entry (Xen public/arch-x86/hvm/start_info.h).
using System;
using System.Buffers.Binary;

namespace Kevlar.Drivers.X86_64.Boot;

/// <summary>
/// One memory map entry, 24 bytes: u64 addr, u64 size, u32 type, u32 reserved.
/// Types follow the E820 numbering.
/// </summary>
public readonly struct PvhMemoryMapEntry
{
    /// <summary>Size of one entry in the table.</summary>
    public const int Size = 24;

    /// <summary>XEN_HVM_MEMMAP_TYPE_RAM: usable RAM.</summary>
    public const uint TypeRam = 1;
    /// <summary>XEN_HVM_MEMMAP_TYPE_RESERVED.</summary>
    public const uint TypeReserved = 2;
    /// <summary>XEN_HVM_MEMMAP_TYPE_ACPI: ACPI tables, reclaimable after parsing.</summary>
    public const uint TypeAcpi = 3;
    /// <summary>XEN_HVM_MEMMAP_TYPE_NVS: ACPI non-volatile storage.</summary>
    public const uint TypeNvs = 4;

    /// <summary>Physical start address.</summary>
    public readonly ulong Address;
    /// <summary>Length in bytes.</summary>
    public readonly ulong Length;
    /// <summary>E820-style type (<see cref="TypeRam"/> is usable).</summary>
    public readonly uint Type;

    /// <summary>Creates an entry.</summary>
    public PvhMemoryMapEntry(ulong address, ulong length, uint type)
    {
        Address = address;
        Length = length;
        Type = type;
    }

    /// <summary>Decodes an entry from its 24 little-endian bytes.</summary>
    public static PvhMemoryMapEntry Parse(ReadOnlySpan<byte> raw)
    {
        return new PvhMemoryMapEntry(
            BinaryPrimitives.ReadUInt64LittleEndian(raw),
            BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(8)),
            BinaryPrimitives.ReadUInt32LittleEndian(raw.Slice(16)));
    }
}
