// HpetTable: the IA-PC HPET Description Table ("HPET", IA-PC HPET spec 1.0a
// §3.2.4): where the timer block's registers are.
using System;
using System.Buffers.Binary;

namespace Kevlar.Drivers.X86_64.Acpi;

/// <summary>
/// Layout (56 bytes): header, +36 u32 event timer block ID, +40 base address
/// as a Generic Address Structure (+40 u8 address space, +41 bit width,
/// +42 bit offset, +43 access size, +44 u64 address), +52 u8 HPET number,
/// +53 u16 minimum clock tick, +55 u8 page protection.
/// </summary>
public readonly struct HpetTable
{
    /// <summary>Bytes in the table.</summary>
    public const int Size = 56;
    /// <summary>GAS address space 0: system memory (the only one the HPET uses).</summary>
    public const byte AddressSpaceMemory = 0;

    /// <summary>Event timer block ID (hardware revision, comparator count, vendor).</summary>
    public readonly uint EventTimerBlockId;
    /// <summary>GAS address space ID of the base address.</summary>
    public readonly byte AddressSpace;
    /// <summary>Physical address of the register block.</summary>
    public readonly ulong Address;
    /// <summary>HPET sequence number.</summary>
    public readonly byte Number;
    /// <summary>Minimum periodic tick the firmware allows, in main counter ticks.</summary>
    public readonly ushort MinimumTick;

    private HpetTable(uint id, byte space, ulong address, byte number, ushort minimumTick)
    {
        EventTimerBlockId = id;
        AddressSpace = space;
        Address = address;
        Number = number;
        MinimumTick = minimumTick;
    }

    /// <summary>
    /// Parses a table loaded by <see cref="AcpiTable.TryLoad"/>. Errors:
    /// BadSignature, BadLength (shorter than 56 bytes).
    /// </summary>
    public static AcpiError TryParse(ReadOnlySpan<byte> table, out HpetTable hpet)
    {
        hpet = default;
        if (table.Length < Size)
            return AcpiError.BadLength;
        AcpiTableHeader header = AcpiTableHeader.Parse(table);
        if (header.Signature != AcpiSignature.Hpet)
            return AcpiError.BadSignature;
        if (header.Length < Size)
            return AcpiError.BadLength;
        hpet = new HpetTable(
            BinaryPrimitives.ReadUInt32LittleEndian(table.Slice(36)),
            table[40],
            BinaryPrimitives.ReadUInt64LittleEndian(table.Slice(44)),
            table[52],
            BinaryPrimitives.ReadUInt16LittleEndian(table.Slice(53)));
        return AcpiError.None;
    }
}
