// The object file ld links: a well-formed ELF64 relocatable with the stub
// code, the Xen PVH note and R_X86_64_64 relocations into 8-byte slots.
using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;

namespace Kevlar.StubGen.Tests;

public class ElfObjectWriterTests
{
    private const ulong SHF_ALLOC = 2, SHF_EXECINSTR = 4;
    private const uint R_X86_64_64 = 1;

    private static readonly Lazy<byte[]> s_object = new(() => StubBuilder.Build(GeneratedStubs.FakeVdso));
    private static MiniElf Elf() => new(s_object.Value);

    [Fact]
    public void Header_Object_IsX8664Relocatable()
    {
        var elf = Elf();
        Assert.Equal(1, elf.Type);       // ET_REL
        Assert.Equal(62, elf.Machine);   // EM_X86_64
        Assert.Equal(0U, elf.Sections[0].Type);
    }

    [Fact]
    public void CodeSection_Contents_AreTheBlobAllocatedAndExecutable()
    {
        var elf = Elf();
        var code = elf.Section(".kevlar.boot");
        Assert.Equal(MiniElf.SHT_PROGBITS, code.Type);
        Assert.Equal(SHF_ALLOC | SHF_EXECINSTR, code.Flags & (SHF_ALLOC | SHF_EXECINSTR));
        Assert.Equal(4096UL, code.Align);
        Assert.Equal(0UL, code.Offset % code.Align);
        Assert.True(elf.Contents(code).SequenceEqual(GeneratedStubs.Blob), "section bytes differ from the laid-out blob");
    }

    [Fact]
    public void Note_Xen_IsPhys32EntryAtLinkBase()
    {
        var elf = Elf();
        var section = elf.Section(".note.Xen");
        Assert.Equal(MiniElf.SHT_NOTE, section.Type);
        Assert.Equal(SHF_ALLOC, section.Flags & SHF_ALLOC);
        var note = Assert.Single(elf.Notes(section));
        Assert.Equal("Xen", note.Name);
        Assert.Equal(18U, note.Type);
        Assert.Equal(4, note.Desc.Length);
        Assert.Equal(0x100000U, BitConverter.ToUInt32(note.Desc));
    }

    [Fact]
    public void Symbols_Table_LocalsFirstAndDefinedInsideCode()
    {
        var elf = Elf();
        var symtab = elf.Sections.Single(s => s.Type == MiniElf.SHT_SYMTAB);
        Assert.Equal(24UL, symtab.EntrySize);
        Assert.Equal(MiniElf.SHT_STRTAB, elf.Sections[(int)symtab.Link].Type);
        var symbols = elf.Symbols();
        int firstGlobal = (int)symtab.Info;
        Assert.All(symbols.Take(firstGlobal), s => Assert.Equal(0, s.Bind));
        Assert.All(symbols.Skip(firstGlobal), s => Assert.Equal(1, s.Bind));
        var code = elf.Section(".kevlar.boot");
        foreach (var s in symbols.Skip(firstGlobal).Where(s => s.Section != 0))
        {
            Assert.Equal(code.Index, s.Section);
            // An end marker (kevlar_ap_trampoline_end) may sit exactly at the end.
            Assert.True(s.Value < code.Size || (s.Value == code.Size && s.Name.EndsWith("_end")), $"{s.Name} outside the code section");
        }
        foreach (var expected in GeneratedStubs.Image.Symbols)
        {
            var s = symbols.Single(x => x.Name == expected.Name);
            Assert.Equal((ulong)expected.Offset, s.Value);
            Assert.Equal(expected.IsFunction ? 2 : 1, s.Type); // STT_FUNC : STT_OBJECT
        }
        var named = symbols.Where(s => s.Name.Length > 0).Select(s => s.Name).ToList();
        Assert.Equal(named.Count, named.Distinct().Count());
    }

    [Fact]
    public void Relocations_Every_IsAbs64IntoAZeroSlotInsideCode()
    {
        var elf = Elf();
        var code = elf.Section(".kevlar.boot");
        var rela = elf.Section(".rela.kevlar.boot");
        Assert.Equal(MiniElf.SHT_RELA, rela.Type);
        Assert.Equal(24UL, rela.EntrySize);
        Assert.Equal((uint)code.Index, rela.Info);
        Assert.Equal(MiniElf.SHT_SYMTAB, elf.Sections[(int)rela.Link].Type);
        var symbols = elf.Symbols();
        var relocations = elf.Relocations(rela);
        Assert.Equal(GeneratedStubs.Image.Relocations.Count, relocations.Count);
        Assert.NotEmpty(relocations);
        foreach (var r in relocations)
        {
            Assert.Equal(R_X86_64_64, r.Type);
            Assert.Equal(0, r.Addend);
            Assert.True(r.Offset + 8 <= code.Size, $"relocation at 0x{r.Offset:x} leaves the code section");
            Assert.Equal(0UL, BitConverter.ToUInt64(elf.Contents(code).Slice((int)r.Offset, 8)));
            var target = symbols[r.Symbol];
            Assert.NotEqual("", target.Name);
        }
        var slots = relocations.Select(r => r.Offset).OrderBy(o => o).ToList();
        for (int i = 1; i < slots.Count; i++) Assert.True(slots[i] >= slots[i - 1] + 8, "relocated slots overlap");
    }

    [Fact]
    public void Relocations_Targets_AreTheKernelAndLinkerSymbols()
    {
        var elf = Elf();
        var symbols = elf.Symbols();
        var targets = elf.Relocations(elf.Section(".rela.kevlar.boot")).Select(r => symbols[r.Symbol].Name).ToHashSet();
        Assert.Contains("KevlarKernelMain", targets);
        Assert.Contains("KevlarInterruptDispatch", targets);
        Assert.Contains("KevlarResolveInterface", targets);
        Assert.Contains("KevlarApMain", targets);
        foreach (string s in RuntimeStubs.LinkerSymbols) Assert.Contains(s, targets);
        // Undefined targets are global and undefined; defined ones resolve inside the object.
        foreach (var s in symbols.Where(s => targets.Contains(s.Name)))
            Assert.Equal(1, s.Bind);
    }

    [Fact]
    public void Readelf_Object_ReportsNoWarnings()
    {
        string path = Path.Combine(Path.GetTempPath(), $"kevlar-stubs-{Environment.ProcessId}.o");
        File.WriteAllBytes(path, s_object.Value);
        try
        {
            var psi = new ProcessStartInfo("readelf", ["-W", "-h", "-S", "-s", "-r", "-n", path])
            { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            string stdout = p.StandardOutput.ReadToEnd(), stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0 && stderr.Length == 0, $"readelf failed ({p.ExitCode}): {stderr}");
            Assert.Contains("REL (Relocatable file)", stdout);
            Assert.Contains("R_X86_64_64", stdout);
            Assert.Contains("KevlarKernelMain", stdout);
            Assert.Contains("Xen", stdout);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
