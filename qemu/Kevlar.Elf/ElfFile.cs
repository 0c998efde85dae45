// ElfFile: a parsed ELF64 little-endian file — header, sections, segments,
// symbols — and reads of its loaded bytes by virtual address. Every offset
// and count from the file is range-checked; bad input gives an ElfError.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Kevlar.Elf;

/// <summary>An ELF64 file held in memory.</summary>
public sealed class ElfFile
{
    private readonly byte[] _data;

    private ElfFile(byte[] data, ElfHeader header, ElfSection[] sections, ElfSegment[] segments, ElfSymbol[] symbols)
    {
        _data = data;
        Header = header;
        Sections = sections;
        Segments = segments;
        Symbols = symbols;
        Functions = new SymbolTable(CodeSymbols(symbols, sections), sections);
        DataObjects = new SymbolTable(Filter(symbols, ElfSymbol.TypeObject), sections);
    }

    /// <summary>The file header.</summary>
    public ElfHeader Header { get; }

    /// <summary>Section headers in file order (index 0 is the null section).</summary>
    public IReadOnlyList<ElfSection> Sections { get; }

    /// <summary>Program headers in file order.</summary>
    public IReadOnlyList<ElfSegment> Segments { get; }

    /// <summary>Every entry of .symtab in file order (empty for a stripped file).</summary>
    public IReadOnlyList<ElfSymbol> Symbols { get; }

    /// <summary>Code symbols (FUNC, plus named labels in executable sections) by address.</summary>
    public SymbolTable Functions { get; }

    /// <summary>Data symbols (OBJECT) by address.</summary>
    public SymbolTable DataObjects { get; }

    /// <summary>Reads and parses <paramref name="path"/>. IoError when the file cannot be read.</summary>
    public static ElfError TryLoad(string path, out ElfFile? file)
    {
        file = null;
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
        {
            return ElfError.IoError;
        }
        return TryParse(data, out file);
    }

    /// <summary>Parses an ELF64 little-endian image; <paramref name="data"/> is kept, not copied.</summary>
    public static ElfError TryParse(byte[] data, out ElfFile? file)
    {
        file = null;
        ElfError error = ElfHeader.TryParse(data, out ElfHeader? header);
        if (error != ElfError.None)
            return error;
        error = ReadSections(data, header!, out ElfSection[] sections);
        if (error != ElfError.None)
            return error;
        error = ReadSegments(data, header!, out ElfSegment[] segments);
        if (error != ElfError.None)
            return error;
        error = ReadSymbols(data, sections, out ElfSymbol[] symbols);
        if (error != ElfError.None)
            return error;
        file = new ElfFile(data, header!, sections, segments, symbols);
        return ElfError.None;
    }

    /// <summary>The first section named <paramref name="name"/>, or null.</summary>
    public ElfSection? FindSection(string name)
    {
        foreach (ElfSection s in Sections)
        {
            if (s.Name == name)
                return s;
        }
        return null;
    }

    /// <summary>The loaded section containing <paramref name="address"/>, or null.</summary>
    public ElfSection? SectionContaining(ulong address)
    {
        foreach (ElfSection s in Sections)
        {
            if (s.ContainsAddress(address))
                return s;
        }
        return null;
    }

    /// <summary>True when <paramref name="address"/> is inside an executable section.</summary>
    public bool IsCodeAddress(ulong address) => SectionContaining(address)?.IsExecutable == true;

    /// <summary>The file bytes of a section (empty for NOBITS).</summary>
    public ReadOnlySpan<byte> GetSectionBytes(ElfSection section)
    {
        if (!section.HasFileBytes)
            return ReadOnlySpan<byte>.Empty;
        return new ReadOnlySpan<byte>(_data, (int)section.Offset, (int)section.Size);
    }

    /// <summary>
    /// Up to <paramref name="maxCount"/> file-backed bytes at virtual
    /// <paramref name="address"/>, stopping at the end of the section (or
    /// PT_LOAD segment when the file has no section for it). Empty when unmapped.
    /// </summary>
    public ReadOnlySpan<byte> ReadAt(ulong address, int maxCount)
    {
        ElfSection? s = SectionContaining(address);
        if (s != null)
        {
            if (!s.HasFileBytes)
                return ReadOnlySpan<byte>.Empty;
            ulong into = address - s.Address;
            int n = (int)Math.Min((ulong)Math.Max(maxCount, 0), s.Size - into);
            return new ReadOnlySpan<byte>(_data, (int)(s.Offset + into), n);
        }
        foreach (ElfSegment p in Segments)
        {
            if (p.Type == ElfSegment.TypeLoad && address >= p.VirtualAddress && address - p.VirtualAddress < p.FileSize)
            {
                ulong into = address - p.VirtualAddress;
                int n = (int)Math.Min((ulong)Math.Max(maxCount, 0), p.FileSize - into);
                return new ReadOnlySpan<byte>(_data, (int)(p.Offset + into), n);
            }
        }
        return ReadOnlySpan<byte>.Empty;
    }

    /// <summary>Copies exactly <c>dest.Length</c> bytes at <paramref name="address"/>; false if not all are mapped.</summary>
    public bool TryRead(ulong address, Span<byte> dest)
    {
        ReadOnlySpan<byte> bytes = ReadAt(address, dest.Length);
        if (bytes.Length != dest.Length)
            return false;
        bytes.CopyTo(dest);
        return true;
    }

    /// <summary>True when [offset, offset + count*size) lies inside a file of <paramref name="length"/> bytes.</summary>
    private static bool InFile(long length, ulong offset, ulong count, ulong size)
    {
        if (offset > (ulong)length)
            return false;
        ulong room = (ulong)length - offset;
        return size == 0 || count <= room / size;
    }

    private static ElfError ReadSections(byte[] data, ElfHeader header, out ElfSection[] sections)
    {
        sections = Array.Empty<ElfSection>();
        if (header.SectionHeaderOffset == 0)
            return ElfError.None;
        if (header.SectionHeaderEntrySize < ElfSection.HeaderSize)
            return ElfError.BadHeader;
        ulong entrySize = header.SectionHeaderEntrySize;
        if (!InFile(data.Length, header.SectionHeaderOffset, 1, entrySize))
            return ElfError.HeaderTableOutOfRange;
        ReadOnlySpan<byte> first = new ReadOnlySpan<byte>(data, (int)header.SectionHeaderOffset, ElfSection.HeaderSize);
        ElfSection zero = ElfSection.Parse(0, first);
        // Extended numbering: e_shnum 0 and e_shstrndx SHN_XINDEX defer to section 0.
        ulong count = header.SectionHeaderCount != 0 ? header.SectionHeaderCount : zero.Size;
        ulong nameIndex = header.SectionNameTableIndex != 0xFFFF ? header.SectionNameTableIndex : zero.Link;
        if (!InFile(data.Length, header.SectionHeaderOffset, count, entrySize))
            return ElfError.HeaderTableOutOfRange;
        var raw = new ElfSection[count];
        var nameOffsets = new uint[count];
        for (int i = 0; i < raw.Length; i++)
        {
            var span = new ReadOnlySpan<byte>(data, (int)(header.SectionHeaderOffset + (ulong)i * entrySize), ElfSection.HeaderSize);
            raw[i] = ElfSection.Parse(i, span);
            nameOffsets[i] = ElfSection.NameOffset(span);
            if (raw[i].HasFileBytes && !InFile(data.Length, raw[i].Offset, 1, raw[i].Size))
                return ElfError.SectionOutOfRange;
        }
        if (nameIndex >= count && nameIndex != 0)
            return ElfError.SectionOutOfRange;
        ElfSection? names = nameIndex == 0 ? null : raw[nameIndex];
        for (int i = 0; i < raw.Length; i++)
            raw[i] = raw[i] with { Name = names == null ? string.Empty : ReadString(data, names, nameOffsets[i]) };
        sections = raw;
        return ElfError.None;
    }

    private static ElfError ReadSegments(byte[] data, ElfHeader header, out ElfSegment[] segments)
    {
        segments = Array.Empty<ElfSegment>();
        if (header.ProgramHeaderCount == 0)
            return ElfError.None;
        if (header.ProgramHeaderEntrySize < ElfSegment.HeaderSize)
            return ElfError.BadHeader;
        ulong entrySize = header.ProgramHeaderEntrySize;
        if (!InFile(data.Length, header.ProgramHeaderOffset, header.ProgramHeaderCount, entrySize))
            return ElfError.HeaderTableOutOfRange;
        var list = new ElfSegment[header.ProgramHeaderCount];
        for (int i = 0; i < list.Length; i++)
        {
            list[i] = ElfSegment.Parse(new ReadOnlySpan<byte>(data, (int)(header.ProgramHeaderOffset + (ulong)i * entrySize), ElfSegment.HeaderSize));
            if (list[i].FileSize != 0 && !InFile(data.Length, list[i].Offset, 1, list[i].FileSize))
                return ElfError.SectionOutOfRange;
        }
        segments = list;
        return ElfError.None;
    }

    private static ElfError ReadSymbols(byte[] data, ElfSection[] sections, out ElfSymbol[] symbols)
    {
        symbols = Array.Empty<ElfSymbol>();
        ElfSection? table = null;
        foreach (ElfSection s in sections)
        {
            if (s.Type == ElfSection.TypeSymbolTable)
            {
                table = s;
                break;
            }
        }
        if (table == null)
            return ElfError.None;
        if (table.EntrySize != ElfSymbol.EntrySize || table.Link == 0 || table.Link >= sections.Length)
            return ElfError.BadSymbolTable;
        ElfSection strings = sections[table.Link];
        if (strings.Type != ElfSection.TypeStringTable)
            return ElfError.BadSymbolTable;
        var list = new ElfSymbol[table.Size / ElfSymbol.EntrySize];
        for (int i = 0; i < list.Length; i++)
        {
            var span = new ReadOnlySpan<byte>(data, (int)(table.Offset + (ulong)i * ElfSymbol.EntrySize), ElfSymbol.EntrySize);
            list[i] = ElfSymbol.Parse(span, ReadString(data, strings, ElfSymbol.NameOffset(span)));
        }
        symbols = list;
        return ElfError.None;
    }

    /// <summary>The NUL-terminated string at <paramref name="offset"/> in a string table; "" when out of range.</summary>
    private static string ReadString(byte[] data, ElfSection table, uint offset)
    {
        if (!table.HasFileBytes || offset >= table.Size)
            return string.Empty;
        var bytes = new ReadOnlySpan<byte>(data, (int)(table.Offset + offset), (int)(table.Size - offset));
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes.Slice(0, end));
    }

    /// <summary>FUNC symbols, and named labels (NOTYPE) that sit in executable sections.</summary>
    private static IEnumerable<ElfSymbol> CodeSymbols(ElfSymbol[] symbols, ElfSection[] sections)
    {
        foreach (ElfSymbol s in symbols)
        {
            if (!s.IsDefined || s.Name.Length == 0)
                continue;
            if (s.Type == ElfSymbol.TypeFunction)
                yield return s;
            else if (s.Type == ElfSymbol.TypeNone && !s.Name.StartsWith(".L", StringComparison.Ordinal)
                     && s.SectionIndex < sections.Length && sections[s.SectionIndex].IsExecutable)
                yield return s;
        }
    }

    private static IEnumerable<ElfSymbol> Filter(ElfSymbol[] symbols, byte type)
    {
        foreach (ElfSymbol s in symbols)
        {
            if (s.IsDefined && s.Type == type && s.Name.Length > 0)
                yield return s;
        }
    }
}
