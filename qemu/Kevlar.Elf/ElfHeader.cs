// ElfHeader: the ELF64 file header (System V gABI, "ELF Header"), 64 bytes.
using System;
using System.Buffers.Binary;

namespace Kevlar.Elf;

/// <summary>The fields of Elf64_Ehdr after e_ident.</summary>
public sealed record ElfHeader(
    ushort Type,
    ushort Machine,
    ulong Entry,
    ulong ProgramHeaderOffset,
    ulong SectionHeaderOffset,
    uint Flags,
    ushort HeaderSize,
    ushort ProgramHeaderEntrySize,
    ushort ProgramHeaderCount,
    ushort SectionHeaderEntrySize,
    ushort SectionHeaderCount,
    ushort SectionNameTableIndex)
{
    /// <summary>Bytes in an ELF64 header.</summary>
    public const int Size = 64;
    /// <summary>ET_EXEC.</summary>
    public const ushort TypeExecutable = 2;
    /// <summary>EM_X86_64.</summary>
    public const ushort MachineX86_64 = 62;

    /// <summary>Checks e_ident and decodes the rest. <paramref name="data"/> must hold at least 64 bytes.</summary>
    internal static ElfError TryParse(ReadOnlySpan<byte> data, out ElfHeader? header)
    {
        header = null;
        if (data.Length < Size)
            return ElfError.TooSmall;
        if (data[0] != 0x7F || data[1] != (byte)'E' || data[2] != (byte)'L' || data[3] != (byte)'F')
            return ElfError.BadMagic;
        if (data[4] != 2)
            return ElfError.NotElf64;
        if (data[5] != 1)
            return ElfError.NotLittleEndian;
        if (data[6] != 1 || BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(20)) != 1)
            return ElfError.BadHeader;
        header = new ElfHeader(
            BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(16)),
            BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(18)),
            BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(24)),
            BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(32)),
            BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(40)),
            BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(48)),
            BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(52)),
            BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(54)),
            BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(56)),
            BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(58)),
            BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(60)),
            BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(62)));
        if (header.HeaderSize < Size)
            return ElfError.BadHeader;
        return ElfError.None;
    }
}
