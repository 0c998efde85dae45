// ElfSegment: one Elf64_Phdr (56 bytes), what a loader maps.
using System;
using System.Buffers.Binary;

namespace Kevlar.Elf;

/// <summary>A program header.</summary>
public sealed record ElfSegment(
    uint Type,
    uint Flags,
    ulong Offset,
    ulong VirtualAddress,
    ulong PhysicalAddress,
    ulong FileSize,
    ulong MemorySize,
    ulong Alignment)
{
    /// <summary>Bytes in an Elf64_Phdr.</summary>
    public const int HeaderSize = 56;
    /// <summary>PT_LOAD.</summary>
    public const uint TypeLoad = 1;
    /// <summary>PT_NOTE.</summary>
    public const uint TypeNote = 4;
    /// <summary>PF_X.</summary>
    public const uint FlagExecute = 1;
    /// <summary>PF_W.</summary>
    public const uint FlagWrite = 2;
    /// <summary>PF_R.</summary>
    public const uint FlagRead = 4;

    internal static ElfSegment Parse(ReadOnlySpan<byte> raw)
    {
        return new ElfSegment(
            BinaryPrimitives.ReadUInt32LittleEndian(raw),
            BinaryPrimitives.ReadUInt32LittleEndian(raw.Slice(4)),
            BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(8)),
            BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(16)),
            BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(24)),
            BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(32)),
            BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(40)),
            BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(48)));
    }
}
