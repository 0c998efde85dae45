// ElfSection: one Elf64_Shdr (64 bytes) with its name resolved.
using System;
using System.Buffers.Binary;

namespace Kevlar.Elf;

/// <summary>A section header.</summary>
public sealed record ElfSection(
    int Index,
    string Name,
    uint Type,
    ulong Flags,
    ulong Address,
    ulong Offset,
    ulong Size,
    uint Link,
    uint Info,
    ulong Alignment,
    ulong EntrySize)
{
    /// <summary>Bytes in an Elf64_Shdr.</summary>
    public const int HeaderSize = 64;
    /// <summary>SHT_PROGBITS.</summary>
    public const uint TypeProgBits = 1;
    /// <summary>SHT_SYMTAB.</summary>
    public const uint TypeSymbolTable = 2;
    /// <summary>SHT_STRTAB.</summary>
    public const uint TypeStringTable = 3;
    /// <summary>SHT_NOBITS (.bss): occupies memory, not file bytes.</summary>
    public const uint TypeNoBits = 8;
    /// <summary>SHF_ALLOC.</summary>
    public const ulong FlagAlloc = 0x2;
    /// <summary>SHF_EXECINSTR.</summary>
    public const ulong FlagExecute = 0x4;

    /// <summary>True for loaded sections holding instructions (.text and friends).</summary>
    public bool IsExecutable => (Flags & (FlagAlloc | FlagExecute)) == (FlagAlloc | FlagExecute);

    /// <summary>True for loaded sections (they have a run-time address).</summary>
    public bool IsAllocated => (Flags & FlagAlloc) != 0;

    /// <summary>True when the section has bytes in the file.</summary>
    public bool HasFileBytes => Type != TypeNoBits && Type != 0;

    /// <summary>True when <paramref name="address"/> lies in [Address, Address+Size) of a loaded section.</summary>
    public bool ContainsAddress(ulong address) => IsAllocated && address >= Address && address - Address < Size;

    /// <summary>Decodes a header; the name is filled in later from .shstrtab.</summary>
    internal static ElfSection Parse(int index, ReadOnlySpan<byte> raw)
    {
        return new ElfSection(
            index,
            string.Empty,
            BinaryPrimitives.ReadUInt32LittleEndian(raw.Slice(4)),
            BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(8)),
            BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(16)),
            BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(24)),
            BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(32)),
            BinaryPrimitives.ReadUInt32LittleEndian(raw.Slice(40)),
            BinaryPrimitives.ReadUInt32LittleEndian(raw.Slice(44)),
            BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(48)),
            BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(56)));
    }

    /// <summary>Raw offset of this section's name in the section-name string table.</summary>
    internal static uint NameOffset(ReadOnlySpan<byte> raw) => BinaryPrimitives.ReadUInt32LittleEndian(raw);
}
