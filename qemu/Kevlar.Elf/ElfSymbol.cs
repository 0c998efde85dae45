// ElfSymbol: one Elf64_Sym (24 bytes) with its name resolved.
using System;
using System.Buffers.Binary;

namespace Kevlar.Elf;

/// <summary>A symbol table entry.</summary>
public sealed record ElfSymbol(string Name, ulong Value, ulong Size, byte Type, byte Binding, ushort SectionIndex)
{
    /// <summary>Bytes in an Elf64_Sym.</summary>
    public const int EntrySize = 24;
    /// <summary>STT_NOTYPE (assembler labels).</summary>
    public const byte TypeNone = 0;
    /// <summary>STT_OBJECT (data).</summary>
    public const byte TypeObject = 1;
    /// <summary>STT_FUNC.</summary>
    public const byte TypeFunction = 2;
    /// <summary>STT_SECTION.</summary>
    public const byte TypeSection = 3;
    /// <summary>STT_FILE.</summary>
    public const byte TypeFile = 4;
    /// <summary>STB_LOCAL.</summary>
    public const byte BindingLocal = 0;
    /// <summary>STB_GLOBAL.</summary>
    public const byte BindingGlobal = 1;
    /// <summary>STB_WEAK.</summary>
    public const byte BindingWeak = 2;
    /// <summary>SHN_UNDEF.</summary>
    public const ushort SectionUndefined = 0;
    /// <summary>SHN_ABS.</summary>
    public const ushort SectionAbsolute = 0xFFF1;

    /// <summary>True when the symbol is defined in some section of this file.</summary>
    public bool IsDefined => SectionIndex != SectionUndefined && SectionIndex < 0xFF00;

    /// <summary>Decodes an entry; the name comes from the linked string table.</summary>
    internal static ElfSymbol Parse(ReadOnlySpan<byte> raw, string name)
    {
        byte info = raw[4];
        return new ElfSymbol(
            name,
            BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(8)),
            BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(16)),
            (byte)(info & 0xF),
            (byte)(info >> 4),
            BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(6)));
    }

    /// <summary>Offset of the name in the string table.</summary>
    internal static uint NameOffset(ReadOnlySpan<byte> raw) => BinaryPrimitives.ReadUInt32LittleEndian(raw);
}
