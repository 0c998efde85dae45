// TableBuilder: makes small ACPI tables by hand for malformed-input tests,
// with a correct checksum unless a test breaks it afterwards.
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Kevlar.Drivers.X86_64.Acpi;

namespace Kevlar.Drivers.Tests;

/// <summary>Builds a table: header, fixed fields, then raw entries.</summary>
public sealed class TableBuilder
{
    private readonly List<byte> _body = new();
    private readonly string _signature;

    public TableBuilder(string signature) => _signature = signature;

    /// <summary>Appends raw bytes after the 36-byte header.</summary>
    public TableBuilder Bytes(params byte[] bytes)
    {
        _body.AddRange(bytes);
        return this;
    }

    public TableBuilder U32(uint value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        return Bytes(b);
    }

    public TableBuilder U64(ulong value)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        return Bytes(b);
    }

    /// <summary>The finished table with its length and checksum filled in.</summary>
    public byte[] Build()
    {
        var table = new byte[AcpiTableHeader.Size + _body.Count];
        for (int i = 0; i < 4; i++)
            table[i] = (byte)_signature[i];
        BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(4), (uint)table.Length);
        table[8] = 1;
        _body.CopyTo(table, AcpiTableHeader.Size);
        FixChecksum(table);
        return table;
    }

    /// <summary>Recomputes byte 9 so the table sums to zero.</summary>
    public static void FixChecksum(byte[] table)
    {
        table[9] = 0;
        table[9] = (byte)(0x100 - AcpiChecksum.Sum(table));
    }

    /// <summary>A MADT with LAPIC address 0xFEE00000, flags 1, and the given entries.</summary>
    public static TableBuilder Madt() => new TableBuilder("APIC").U32(0xFEE00000).U32(1);
}
