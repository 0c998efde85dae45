// AcpiTableHeader: the 36-byte System Description Table header every table
// but the RSDP and FACS starts with (ACPI 6.5 §5.2.6, table 5.4).
using System;
using System.Buffers.Binary;

namespace Kevlar.Drivers.X86_64.Acpi;

/// <summary>
/// Header fields: +0 signature[4], +4 u32 length (whole table), +8 revision,
/// +9 checksum, +10 OEM ID[6], +16 OEM table ID[8], +24 u32 OEM revision,
/// +28 u32 creator ID, +32 u32 creator revision.
/// </summary>
public readonly struct AcpiTableHeader
{
    /// <summary>Bytes in the header.</summary>
    public const int Size = 36;

    /// <summary>Signature as a little-endian u32 (see <see cref="AcpiSignature"/>).</summary>
    public readonly uint Signature;
    /// <summary>Length of the whole table, header included.</summary>
    public readonly uint Length;
    /// <summary>Table revision.</summary>
    public readonly byte Revision;

    private AcpiTableHeader(uint signature, uint length, byte revision)
    {
        Signature = signature;
        Length = length;
        Revision = revision;
    }

    /// <summary>Decodes the header from the first 36 bytes of <paramref name="raw"/>.</summary>
    public static AcpiTableHeader Parse(ReadOnlySpan<byte> raw)
    {
        return new AcpiTableHeader(
            BinaryPrimitives.ReadUInt32LittleEndian(raw),
            BinaryPrimitives.ReadUInt32LittleEndian(raw.Slice(4)),
            raw[8]);
    }
}
