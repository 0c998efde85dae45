// AcpiRootTable: the RSDT (32-bit entries) or XSDT (64-bit entries) the RSDP
// points to, i.e. the list of every other table's physical address
// (ACPI 6.5 §5.2.7, §5.2.8).
using System;
using System.Buffers.Binary;
using Kevlar.Drivers.X86_64.Boot;

namespace Kevlar.Drivers.X86_64.Acpi;

/// <summary>The validated root table's entries.</summary>
public sealed class AcpiRootTable
{
    private readonly ulong[] _entries;

    private AcpiRootTable(ulong[] entries, bool isXsdt)
    {
        _entries = entries;
        IsXsdt = isXsdt;
    }

    /// <summary>True when read from an XSDT.</summary>
    public bool IsXsdt { get; }

    /// <summary>Number of tables listed.</summary>
    public int Count => _entries.Length;

    /// <summary>Physical address of table <paramref name="index"/>.</summary>
    public ulong this[int index] => _entries[index];

    /// <summary>
    /// Loads the XSDT when the RSDP has one, else the RSDT, checking its
    /// checksum. Errors: those of <see cref="AcpiTable.TryLoad"/>.
    /// </summary>
    public static AcpiError TryLoad(IPhysicalMemoryReader memory, in Rsdp rsdp, out AcpiRootTable? root)
    {
        root = null;
        bool xsdt = rsdp.UsesXsdt;
        uint signature = xsdt ? AcpiSignature.Xsdt : AcpiSignature.Rsdt;
        AcpiError error = AcpiTable.TryLoad(memory, rsdp.RootTableAddress, signature, AcpiTableHeader.Size, out byte[] table);
        if (error != AcpiError.None)
            return error;
        int width = xsdt ? 8 : 4;
        // A length that is not a whole number of entries leaves a stub, which is ignored.
        ulong[] entries = new ulong[(table.Length - AcpiTableHeader.Size) / width];
        ReadOnlySpan<byte> body = new ReadOnlySpan<byte>(table).Slice(AcpiTableHeader.Size);
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = xsdt
                ? BinaryPrimitives.ReadUInt64LittleEndian(body.Slice(i * 8))
                : BinaryPrimitives.ReadUInt32LittleEndian(body.Slice(i * 4));
        }
        root = new AcpiRootTable(entries, xsdt);
        return AcpiError.None;
    }

    /// <summary>
    /// Finds the first listed table with <paramref name="signature"/>
    /// (entries that cannot be read are skipped). Error: TableNotFound.
    /// </summary>
    public AcpiError TryFind(IPhysicalMemoryReader memory, uint signature, out ulong physAddr)
    {
        physAddr = 0;
        for (int i = 0; i < _entries.Length; i++)
        {
            if (AcpiTable.TryReadSignature(memory, _entries[i], out uint found) != AcpiError.None)
                continue;
            if (found == signature)
            {
                physAddr = _entries[i];
                return AcpiError.None;
            }
        }
        return AcpiError.TableNotFound;
    }
}
