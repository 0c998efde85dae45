// A minimal ELF64 relocatable reader written independently of the writer,
// so the object's structure is checked against the ELF specification rather
// than against the code that produced it.
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Kevlar.StubGen.Tests;

public sealed record MiniSection(int Index, string Name, uint Type, ulong Flags, ulong Offset, ulong Size,
    uint Link, uint Info, ulong Align, ulong EntrySize);

public sealed record MiniSymbol(int Index, string Name, byte Bind, byte Type, ushort Section, ulong Value);

public sealed record MiniRela(ulong Offset, uint Type, int Symbol, long Addend);

public sealed class MiniElf
{
    public const uint SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_RELA = 4, SHT_NOTE = 7;

    public byte[] Data { get; }
    public ushort Type { get; }
    public ushort Machine { get; }
    public List<MiniSection> Sections { get; } = new();

    public MiniElf(byte[] data)
    {
        Data = data;
        if (data.Length < 64 || data[0] != 0x7F || data[1] != 'E' || data[2] != 'L' || data[3] != 'F')
            throw new FormatException("not an ELF file");
        if (data[4] != 2 || data[5] != 1 || data[6] != 1) throw new FormatException("not ELF64 little-endian version 1");
        Type = U16(16);
        Machine = U16(18);
        if (U32(20) != 1) throw new FormatException("e_version");
        if (U16(52) != 64 || U16(58) != 64) throw new FormatException("e_ehsize or e_shentsize");
        ulong shoff = U64(40);
        int shnum = U16(60), shstrndx = U16(62);
        if (shoff + (ulong)shnum * 64 > (ulong)data.Length) throw new FormatException("section headers out of file");
        var raw = new List<(uint name, MiniSection s)>();
        for (int i = 0; i < shnum; i++)
        {
            int h = (int)shoff + 64 * i;
            var s = new MiniSection(i, "", U32(h + 4), U64(h + 8), U64(h + 24), U64(h + 32), U32(h + 40), U32(h + 44), U64(h + 48), U64(h + 56));
            if (s.Type != 0 && s.Offset + s.Size > (ulong)data.Length) throw new FormatException($"section {i} out of file");
            raw.Add((U32(h), s));
        }
        var shstr = raw[shstrndx].s;
        foreach (var (name, s) in raw) Sections.Add(s with { Name = String(shstr, name) });
    }

    public MiniSection Section(string name) => Sections.Single(s => s.Name == name);

    public ReadOnlySpan<byte> Contents(MiniSection s) => Data.AsSpan((int)s.Offset, (int)s.Size);

    public List<MiniSymbol> Symbols()
    {
        var symtab = Sections.Single(s => s.Type == SHT_SYMTAB);
        var strtab = Sections[(int)symtab.Link];
        var list = new List<MiniSymbol>();
        for (int i = 0; i < (int)(symtab.Size / 24); i++)
        {
            int at = (int)symtab.Offset + 24 * i;
            byte info = Data[at + 4];
            list.Add(new MiniSymbol(i, String(strtab, U32(at)), (byte)(info >> 4), (byte)(info & 15), U16(at + 6), U64(at + 8)));
        }
        return list;
    }

    public List<MiniRela> Relocations(MiniSection rela)
    {
        var list = new List<MiniRela>();
        for (int i = 0; i < (int)(rela.Size / 24); i++)
        {
            int at = (int)rela.Offset + 24 * i;
            ulong info = U64(at + 8);
            list.Add(new MiniRela(U64(at), (uint)info, (int)(info >> 32), (long)U64(at + 16)));
        }
        return list;
    }

    /// <summary>Notes in a SHT_NOTE section: (name, type, desc).</summary>
    public List<(string Name, uint Type, byte[] Desc)> Notes(MiniSection note)
    {
        var list = new List<(string, uint, byte[])>();
        int at = (int)note.Offset, end = at + (int)note.Size;
        while (at + 12 <= end)
        {
            int namesz = (int)U32(at), descsz = (int)U32(at + 4);
            uint type = U32(at + 8);
            string name = Encoding.ASCII.GetString(Data, at + 12, namesz).TrimEnd('\0');
            int desc = at + 12 + ((namesz + 3) & ~3);
            list.Add((name, type, Data.AsSpan(desc, descsz).ToArray()));
            at = desc + ((descsz + 3) & ~3);
        }
        if (at != end) throw new FormatException("note section has trailing bytes");
        return list;
    }

    private string String(MiniSection table, uint offset)
    {
        int start = (int)(table.Offset + offset), end = start;
        while (Data[end] != 0) end++;
        return Encoding.ASCII.GetString(Data, start, end - start);
    }

    private ushort U16(int at) => BinaryPrimitives.ReadUInt16LittleEndian(Data.AsSpan(at));
    private uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(Data.AsSpan(at));
    private ulong U64(int at) => BinaryPrimitives.ReadUInt64LittleEndian(Data.AsSpan(at));
}
