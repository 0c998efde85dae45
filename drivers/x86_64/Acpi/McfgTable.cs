// McfgTable: the PCI Express memory-mapped configuration table ("MCFG", PCI
// Firmware Specification 3.0 §4.1.2): after the 36-byte header and 8 reserved
// bytes, 16-byte entries — u64 base address of the enhanced configuration
// (ECAM) window, u16 PCI segment group, u8 start bus, u8 end bus, u32
// reserved. The kernel takes segment 0's window; function (bus, device,
// function)'s 4 KiB of configuration space is at base + ((bus - start) << 20 |
// device << 15 | function << 12).
using System;
using System.Buffers.Binary;

namespace Kevlar.Drivers.X86_64.Acpi;

public readonly struct McfgTable
{
    /// <summary>Bytes before the first entry.</summary>
    public const int EntriesOffset = 44;
    private const int EntrySize = 16;

    public readonly ulong Base;
    public readonly byte StartBus, EndBus;

    private McfgTable(ulong baseAddress, byte startBus, byte endBus)
    {
        Base = baseAddress;
        StartBus = startBus;
        EndBus = endBus;
    }

    /// <summary>Segment group 0's window from the table's bytes; MalformedEntry when there is none
    /// or it is nonsense (no base, end before start).</summary>
    public static AcpiError TryParse(ReadOnlySpan<byte> table, out McfgTable mcfg)
    {
        mcfg = default;
        if (table.Length < EntriesOffset) return AcpiError.MalformedEntry;
        int length = (int)Math.Min((uint)table.Length, BinaryPrimitives.ReadUInt32LittleEndian(table.Slice(4)));
        for (int at = EntriesOffset; at + EntrySize <= length; at += EntrySize)
        {
            ReadOnlySpan<byte> e = table.Slice(at, EntrySize);
            if (BinaryPrimitives.ReadUInt16LittleEndian(e.Slice(8)) != 0) continue;
            ulong address = BinaryPrimitives.ReadUInt64LittleEndian(e);
            if (address == 0 || e[11] < e[10]) return AcpiError.MalformedEntry;
            mcfg = new McfgTable(address, e[10], e[11]);
            return AcpiError.None;
        }
        return AcpiError.MalformedEntry;
    }
}
