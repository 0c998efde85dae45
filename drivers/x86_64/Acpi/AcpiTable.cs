// AcpiTable: reads one System Description Table out of physical memory and
// checks its signature, length and checksum before anyone parses it.
using System;
using Kevlar.Drivers.X86_64.Boot;

namespace Kevlar.Drivers.X86_64.Acpi;

/// <summary>Loading and validating whole tables.</summary>
public static class AcpiTable
{
    /// <summary>Largest table this loader copies (the MADT of a 1000-CPU machine fits).</summary>
    public const int MaxLength = 64 * 1024;

    private static readonly byte[] s_empty = new byte[0];

    /// <summary>
    /// Copies the table at <paramref name="physAddr"/> into a new array after
    /// checking it. Errors: ReadFailed, BadSignature (<paramref name="signature"/>
    /// differs), BadLength (shorter than <paramref name="minLength"/> or the
    /// header, or over <see cref="MaxLength"/>), BadChecksum.
    /// </summary>
    public static AcpiError TryLoad(IPhysicalMemoryReader memory, ulong physAddr, uint signature, int minLength, out byte[] table)
    {
        table = s_empty;
        Span<byte> raw = stackalloc byte[AcpiTableHeader.Size];
        if (physAddr == 0 || !memory.TryRead(physAddr, raw))
            return AcpiError.ReadFailed;
        AcpiTableHeader header = AcpiTableHeader.Parse(raw);
        if (header.Signature != signature)
            return AcpiError.BadSignature;
        if (header.Length < (uint)AcpiTableHeader.Size || header.Length < (uint)minLength || header.Length > MaxLength)
            return AcpiError.BadLength;
        byte[] bytes = new byte[header.Length];
        if (!memory.TryRead(physAddr, new Span<byte>(bytes)))
            return AcpiError.ReadFailed;
        if (!AcpiChecksum.IsValid(new ReadOnlySpan<byte>(bytes)))
            return AcpiError.BadChecksum;
        table = bytes;
        return AcpiError.None;
    }

    /// <summary>Reads only the signature of the table at <paramref name="physAddr"/>.</summary>
    public static AcpiError TryReadSignature(IPhysicalMemoryReader memory, ulong physAddr, out uint signature)
    {
        signature = 0;
        Span<byte> raw = stackalloc byte[AcpiTableHeader.Size];
        if (physAddr == 0 || !memory.TryRead(physAddr, raw))
            return AcpiError.ReadFailed;
        signature = AcpiTableHeader.Parse(raw).Signature;
        return AcpiError.None;
    }
}
