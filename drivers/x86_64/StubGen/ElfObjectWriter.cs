// Writes a minimal ELF64 relocatable object: one code section at a fixed
// link address, an optional note section, global symbols, and R_X86_64_64
// relocations against external symbols. Just enough for ld to link the stubs.
using System.Text;

namespace Kevlar.StubGen;

public sealed record ElfSymbol(string Name, int Offset, bool IsFunction);
public sealed record ElfRelocation(int Offset, string Symbol);

public static class ElfObjectWriter
{
    private const uint SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_RELA = 4, SHT_NOTE = 7;
    private const ulong SHF_ALLOC = 2, SHF_EXECINSTR = 4, SHF_INFO_LINK = 0x40;
    private const uint R_X86_64_64 = 1;

    public static byte[] Write(string codeSection, byte[] code, IReadOnlyList<ElfSymbol> symbols,
        IReadOnlyList<ElfRelocation> relocations, string noteSection, byte[] note)
    {
        var shstr = new StringTable();
        var str = new StringTable();

        // Symbol table: null, section symbol, then globals (defined, then undefined).
        var symtab = new MemoryStream();
        WriteSym(symtab, 0, 0, 0, 0, 0);
        WriteSym(symtab, 0, 3 /* STT_SECTION */, 1, 0, 0);
        int firstGlobal = 2;
        var index = new Dictionary<string, int>();
        foreach (var s in symbols)
        {
            index[s.Name] = firstGlobal + index.Count;
            WriteSym(symtab, str.Add(s.Name), (byte)(0x10 | (s.IsFunction ? 2 : 1)), 1, (ulong)s.Offset, 0);
        }
        foreach (var r in relocations)
            if (!index.ContainsKey(r.Symbol))
            {
                index[r.Symbol] = firstGlobal + index.Count;
                WriteSym(symtab, str.Add(r.Symbol), 0x10, 0, 0, 0);
            }

        var rela = new MemoryStream();
        foreach (var r in relocations)
        {
            Put64(rela, (ulong)r.Offset);
            Put64(rela, ((ulong)index[r.Symbol] << 32) | R_X86_64_64);
            Put64(rela, 0);
        }

        // Sections: 0 null, 1 code, 2 rela, 3 note, 4 symtab, 5 strtab, 6 shstrtab.
        var body = new MemoryStream();
        body.Write(new byte[64]);
        long codeOff = Align(body, 4096); body.Write(code);
        long relaOff = Align(body, 8); body.Write(rela.ToArray());
        long noteOff = Align(body, 4); body.Write(note);
        long symOff = Align(body, 8); body.Write(symtab.ToArray());
        long strOff = body.Position; body.Write(str.Bytes());
        uint nCode = shstr.Add(codeSection), nRela = shstr.Add(".rela" + codeSection), nNote = shstr.Add(noteSection),
             nSym = shstr.Add(".symtab"), nStr = shstr.Add(".strtab"), nShstr = shstr.Add(".shstrtab");
        long shstrOff = body.Position; body.Write(shstr.Bytes());
        long shOff = Align(body, 8);

        WriteSection(body, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        WriteSection(body, nCode, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, codeOff, code.Length, 0, 0, 4096, 0);
        WriteSection(body, nRela, SHT_RELA, SHF_INFO_LINK, relaOff, rela.Length, 4, 1, 8, 24);
        WriteSection(body, nNote, SHT_NOTE, SHF_ALLOC, noteOff, note.Length, 0, 0, 4, 0);
        WriteSection(body, nSym, SHT_SYMTAB, 0, symOff, symtab.Length, 5, (uint)firstGlobal, 8, 24);
        WriteSection(body, nStr, SHT_STRTAB, 0, strOff, str.Bytes().Length, 0, 0, 1, 0);
        WriteSection(body, nShstr, SHT_STRTAB, 0, shstrOff, shstr.Bytes().Length, 0, 0, 1, 0);

        byte[] elf = body.ToArray();
        var h = new MemoryStream(elf);
        h.Write([0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        Put16(h, 1); Put16(h, 62); Put32(h, 1);      // ET_REL, EM_X86_64, EV_CURRENT
        Put64(h, 0); Put64(h, 0); Put64(h, (ulong)shOff);
        Put32(h, 0); Put16(h, 64); Put16(h, 0); Put16(h, 0); Put16(h, 64); Put16(h, 7); Put16(h, 6);
        return elf;
    }

    /// <summary>An ELF note: namesz, descsz, type, name (padded to 4), desc (padded to 4).</summary>
    public static byte[] Note(string name, uint type, byte[] desc)
    {
        var m = new MemoryStream();
        byte[] n = Encoding.ASCII.GetBytes(name + "\0");
        Put32(m, (uint)n.Length); Put32(m, (uint)desc.Length); Put32(m, type);
        m.Write(n); Align(m, 4); m.Write(desc); Align(m, 4);
        return m.ToArray();
    }

    private static void WriteSym(Stream s, uint name, byte info, ushort shndx, ulong value, ulong size)
    {
        Put32(s, name); s.WriteByte(info); s.WriteByte(0); Put16(s, shndx); Put64(s, value); Put64(s, size);
    }

    private static void WriteSection(Stream s, uint name, uint type, ulong flags, long offset, long size,
        uint link, uint info, ulong align, ulong entsize)
    {
        Put32(s, name); Put32(s, type); Put64(s, flags); Put64(s, 0); Put64(s, (ulong)offset);
        Put64(s, (ulong)size); Put32(s, link); Put32(s, info); Put64(s, align); Put64(s, entsize);
    }

    private static long Align(Stream s, int a)
    {
        while (s.Position % a != 0) s.WriteByte(0);
        return s.Position;
    }

    private static void Put16(Stream s, ushort v) => s.Write(BitConverter.GetBytes(v));
    private static void Put32(Stream s, uint v) => s.Write(BitConverter.GetBytes(v));
    private static void Put64(Stream s, ulong v) => s.Write(BitConverter.GetBytes(v));

    private sealed class StringTable
    {
        private readonly MemoryStream _m = new(new byte[] { 0 }.Length);
        public StringTable() { _m.WriteByte(0); }
        public uint Add(string s)
        {
            uint at = (uint)_m.Position;
            _m.Write(Encoding.ASCII.GetBytes(s + "\0"));
            return at;
        }
        public byte[] Bytes() => _m.ToArray();
    }
}
