// ElfProgramHeader: one Elf64_Phdr as it sits in the file (gABI ch. 5,
// "Program Header"; 56 bytes), read before any of it is trusted.
using System;
using System.Buffers.Binary;

namespace Kevlar.Process.Exec;

/// <summary>
/// Elf64_Phdr layout: +0 u32 p_type, +4 u32 p_flags, +8 u64 p_offset,
/// +16 u64 p_vaddr, +24 u64 p_paddr, +32 u64 p_filesz, +40 u64 p_memsz,
/// +48 u64 p_align.
/// </summary>
internal readonly struct ElfProgramHeader
{
    public readonly uint Type;
    public readonly uint Flags;
    public readonly ulong Offset;
    public readonly ulong VirtualAddress;
    public readonly ulong FileSize;
    public readonly ulong MemorySize;
    public readonly ulong Alignment;

    /// <summary>Reads the header at the start of <paramref name="entry"/>, which holds at least 56 bytes.</summary>
    public ElfProgramHeader(ReadOnlySpan<byte> entry)
    {
        Type = BinaryPrimitives.ReadUInt32LittleEndian(entry);
        Flags = BinaryPrimitives.ReadUInt32LittleEndian(entry.Slice(4));
        Offset = BinaryPrimitives.ReadUInt64LittleEndian(entry.Slice(8));
        VirtualAddress = BinaryPrimitives.ReadUInt64LittleEndian(entry.Slice(16));
        FileSize = BinaryPrimitives.ReadUInt64LittleEndian(entry.Slice(32));
        MemorySize = BinaryPrimitives.ReadUInt64LittleEndian(entry.Slice(40));
        Alignment = BinaryPrimitives.ReadUInt64LittleEndian(entry.Slice(48));
    }

    /// <summary>True when [Offset, Offset + FileSize) lies inside a file of <paramref name="fileLength"/> bytes.</summary>
    public bool FitsInFile(int fileLength) =>
        FileSize <= (ulong)fileLength && Offset <= (ulong)fileLength - FileSize;

    /// <summary>True when <paramref name="fileOffset"/> falls among the bytes this header takes from the file.</summary>
    public bool CoversFileOffset(ulong fileOffset) =>
        Offset <= fileOffset && fileOffset - Offset < FileSize;
}
