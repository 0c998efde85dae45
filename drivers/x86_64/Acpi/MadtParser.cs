// MadtParser: turns the bytes of a checked MADT into a Madt. Two passes over
// the entries: the first validates every entry and counts each kind, the
// second fills arrays of exactly that size.
using System;
using System.Buffers.Binary;

namespace Kevlar.Drivers.X86_64.Acpi;

/// <summary>
/// MADT layout: the 36-byte header, +36 u32 local APIC address, +40 u32
/// flags, then entries from +44, each starting u8 type, u8 length.
/// </summary>
public static class MadtParser
{
    /// <summary>Bytes before the first entry.</summary>
    public const int EntriesOffset = 44;

    private const byte TypeLocalApic = 0;
    private const byte TypeIoApic = 1;
    private const byte TypeInterruptOverride = 2;
    private const byte TypeLocalApicNmi = 4;
    private const byte TypeLocalApicAddressOverride = 5;
    private const byte TypeLocalX2Apic = 9;
    private const byte TypeLocalX2ApicNmi = 10;

    /// <summary>
    /// Parses <paramref name="table"/>, the whole MADT as loaded by
    /// <see cref="AcpiTable.TryLoad"/> (whose checksum check this does not
    /// repeat). Errors: BadSignature, BadLength (shorter than 44 bytes or than
    /// its header says), Truncated (an entry runs past the end),
    /// MalformedEntry (an entry shorter than its type needs).
    /// </summary>
    public static AcpiError TryParse(ReadOnlySpan<byte> table, out Madt? madt)
    {
        madt = null;
        if (table.Length < EntriesOffset)
            return AcpiError.BadLength;
        AcpiTableHeader header = AcpiTableHeader.Parse(table);
        if (header.Signature != AcpiSignature.Madt)
            return AcpiError.BadSignature;
        if (header.Length < EntriesOffset || header.Length > (uint)table.Length)
            return AcpiError.BadLength;
        ReadOnlySpan<byte> body = table.Slice(0, (int)header.Length);
        var counts = new MadtCounts();
        AcpiError error = Walk(body, ref counts, null);
        if (error != AcpiError.None)
            return error;
        var result = new MadtBuilder(counts);
        Walk(body, ref counts, result);
        ulong lapic = result.LocalApicOverride != 0
            ? result.LocalApicOverride
            : BinaryPrimitives.ReadUInt32LittleEndian(body.Slice(36));
        madt = new Madt(lapic, BinaryPrimitives.ReadUInt32LittleEndian(body.Slice(40)), result.Processors,
            result.IoApics, result.Overrides, result.Nmis);
        return AcpiError.None;
    }

    /// <summary>Visits every entry; with a null builder it only validates and counts.</summary>
    private static AcpiError Walk(ReadOnlySpan<byte> body, ref MadtCounts counts, MadtBuilder? builder)
    {
        int offset = EntriesOffset;
        while (offset < body.Length)
        {
            if (body.Length - offset < 2)
                return AcpiError.Truncated;
            byte type = body[offset];
            int length = body[offset + 1];
            if (length < 2)
                return AcpiError.MalformedEntry;
            if (length > body.Length - offset)
                return AcpiError.Truncated;
            ReadOnlySpan<byte> entry = body.Slice(offset, length);
            if (length < MinimumLength(type))
                return AcpiError.MalformedEntry;
            if (builder == null)
                Count(entry, ref counts);
            else
                builder.Add(entry);
            offset += length;
        }
        return AcpiError.None;
    }

    /// <summary>Smallest valid length of an entry of <paramref name="type"/> (2 for unknown types).</summary>
    private static int MinimumLength(byte type)
    {
        switch (type)
        {
            case TypeLocalApic: return 8;
            case TypeIoApic: return 12;
            case TypeInterruptOverride: return 10;
            case TypeLocalApicNmi: return 6;
            case TypeLocalApicAddressOverride: return 12;
            case TypeLocalX2Apic: return 16;
            case TypeLocalX2ApicNmi: return 12;
            default: return 2;
        }
    }

    private static void Count(ReadOnlySpan<byte> entry, ref MadtCounts counts)
    {
        switch (entry[0])
        {
            case TypeLocalApic:
            case TypeLocalX2Apic:
                if (IsUsableProcessor(entry))
                    counts.Processors++;
                break;
            case TypeIoApic:
                counts.IoApics++;
                break;
            case TypeInterruptOverride:
                counts.Overrides++;
                break;
            case TypeLocalApicNmi:
            case TypeLocalX2ApicNmi:
                counts.Nmis++;
                break;
        }
    }

    /// <summary>True when a type 0 or type 9 entry is flagged enabled or online-capable.</summary>
    internal static bool IsUsableProcessor(ReadOnlySpan<byte> entry)
    {
        uint flags = entry[0] == TypeLocalApic
            ? BinaryPrimitives.ReadUInt32LittleEndian(entry.Slice(4))
            : BinaryPrimitives.ReadUInt32LittleEndian(entry.Slice(8));
        return (flags & (MadtProcessor.FlagEnabled | MadtProcessor.FlagOnlineCapable)) != 0;
    }

    /// <summary>Entries of each kind, from the first pass.</summary>
    private struct MadtCounts
    {
        public int Processors;
        public int IoApics;
        public int Overrides;
        public int Nmis;
    }

    /// <summary>Second-pass state: arrays sized by the first pass and how far each is filled.</summary>
    private sealed class MadtBuilder
    {
        public readonly MadtProcessor[] Processors;
        public readonly MadtIoApic[] IoApics;
        public readonly MadtInterruptOverride[] Overrides;
        public readonly MadtLocalApicNmi[] Nmis;
        public ulong LocalApicOverride;
        private int _processors;
        private int _ioApics;
        private int _overrides;
        private int _nmis;

        public MadtBuilder(MadtCounts counts)
        {
            Processors = new MadtProcessor[counts.Processors];
            IoApics = new MadtIoApic[counts.IoApics];
            Overrides = new MadtInterruptOverride[counts.Overrides];
            Nmis = new MadtLocalApicNmi[counts.Nmis];
        }

        public void Add(ReadOnlySpan<byte> e)
        {
            switch (e[0])
            {
                case TypeLocalApic:
                    if (IsUsableProcessor(e))
                        Processors[_processors++] = new MadtProcessor(e[2], e[3], BinaryPrimitives.ReadUInt32LittleEndian(e.Slice(4)), false);
                    break;
                case TypeLocalX2Apic:
                    if (IsUsableProcessor(e))
                        Processors[_processors++] = new MadtProcessor(BinaryPrimitives.ReadUInt32LittleEndian(e.Slice(12)),
                            BinaryPrimitives.ReadUInt32LittleEndian(e.Slice(4)), BinaryPrimitives.ReadUInt32LittleEndian(e.Slice(8)), true);
                    break;
                case TypeIoApic:
                    IoApics[_ioApics++] = new MadtIoApic(e[2], BinaryPrimitives.ReadUInt32LittleEndian(e.Slice(4)),
                        BinaryPrimitives.ReadUInt32LittleEndian(e.Slice(8)));
                    break;
                case TypeInterruptOverride:
                    Overrides[_overrides++] = new MadtInterruptOverride(e[2], e[3], BinaryPrimitives.ReadUInt32LittleEndian(e.Slice(4)),
                        BinaryPrimitives.ReadUInt16LittleEndian(e.Slice(8)));
                    break;
                case TypeLocalApicNmi:
                    Nmis[_nmis++] = new MadtLocalApicNmi(e[2] == 0xFF ? MadtLocalApicNmi.AllProcessors : e[2],
                        BinaryPrimitives.ReadUInt16LittleEndian(e.Slice(3)), e[5]);
                    break;
                case TypeLocalX2ApicNmi:
                    Nmis[_nmis++] = new MadtLocalApicNmi(BinaryPrimitives.ReadUInt32LittleEndian(e.Slice(4)),
                        BinaryPrimitives.ReadUInt16LittleEndian(e.Slice(2)), e[8]);
                    break;
                case TypeLocalApicAddressOverride:
                    LocalApicOverride = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(4));
                    break;
            }
        }
    }
}
