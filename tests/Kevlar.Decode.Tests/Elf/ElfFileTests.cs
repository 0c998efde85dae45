// ElfFileTests: header, sections, segments, symbols and byte reads of the
// test kernel linked from data/kernel.S.
using System.Linq;
using Kevlar.Elf;
using Xunit;

namespace Kevlar.Decode.Tests.Elf;

public class ElfFileTests
{
    [Fact]
    public void TryParse_TestKernel_ReadsHeader()
    {
        ElfFile elf = TestKernel.Load();

        Assert.Equal(ElfHeader.TypeExecutable, elf.Header.Type);
        Assert.Equal(ElfHeader.MachineX86_64, elf.Header.Machine);
        Assert.Equal(TestKernel.Start, elf.Header.Entry);
    }

    [Fact]
    public void TryParse_TestKernel_ReadsSectionsWithNames()
    {
        ElfFile elf = TestKernel.Load();

        ElfSection text = elf.FindSection(".text")!;
        Assert.Equal(TestKernel.Start, text.Address);
        Assert.True(text.IsExecutable);
        Assert.False(elf.FindSection(".data")!.IsExecutable);
        Assert.NotNull(elf.FindSection(".symtab"));
        Assert.NotNull(elf.FindSection(".strtab"));
        Assert.Null(elf.FindSection(".nonexistent"));
    }

    [Fact]
    public void TryParse_TestKernel_ReadsLoadSegments()
    {
        ElfFile elf = TestKernel.Load();

        ElfSegment code = elf.Segments.First(s => s.Type == ElfSegment.TypeLoad && (s.Flags & ElfSegment.FlagExecute) != 0);
        Assert.True(code.VirtualAddress <= TestKernel.Start);
        Assert.True(code.VirtualAddress + code.MemorySize > TestKernel.Concat);
    }

    [Fact]
    public void TryParse_TestKernel_ReadsSymbolTable()
    {
        ElfFile elf = TestKernel.Load();

        ElfSymbol trigger = elf.Symbols.Single(s => s.Name == TestKernel.TriggerName);
        Assert.Equal(TestKernel.Trigger, trigger.Value);
        Assert.Equal(0x23UL, trigger.Size);
        Assert.Equal(ElfSymbol.TypeFunction, trigger.Type);
        Assert.Equal(ElfSymbol.BindingGlobal, trigger.Binding);
        Assert.Equal(ElfSymbol.TypeObject, elf.Symbols.Single(s => s.Name == "s_handler").Type);
    }

    [Fact]
    public void ReadAt_TextAddress_ReturnsInstructionBytes()
    {
        ElfFile elf = TestKernel.Load();

        // _start: call rel32 (e8 03 00 00 00)
        Assert.Equal(new byte[] { 0xE8, 0x03, 0x00, 0x00, 0x00 }, elf.ReadAt(TestKernel.Start, 5).ToArray());
    }

    [Fact]
    public void ReadAt_PastEndOfSection_ReturnsFewerBytes()
    {
        ElfFile elf = TestKernel.Load();
        ElfSection text = elf.FindSection(".text")!;

        Assert.Equal(4, elf.ReadAt(text.Address + text.Size - 4, 100).Length);
    }

    [Fact]
    public void ReadAt_UnmappedAddress_ReturnsEmpty()
    {
        Assert.True(TestKernel.Load().ReadAt(0xFFFF_8000_0000_0000, 16).IsEmpty);
    }

    [Fact]
    public void TryRead_WholeRangeMappedOrNot_AllOrNothing()
    {
        ElfFile elf = TestKernel.Load();
        ElfSection text = elf.FindSection(".text")!;
        var buffer = new byte[8];

        Assert.True(elf.TryRead(TestKernel.Handler, buffer));
        Assert.Equal(TestKernel.Concat, System.BitConverter.ToUInt64(buffer));
        Assert.False(elf.TryRead(text.Address + text.Size - 4, buffer));
    }

    [Fact]
    public void IsCodeAddress_TextDataAndNowhere_Distinguished()
    {
        ElfFile elf = TestKernel.Load();

        Assert.True(elf.IsCodeAddress(TestKernel.FaultSite));
        Assert.False(elf.IsCodeAddress(TestKernel.Handler));
        Assert.False(elf.IsCodeAddress(0x7000));
    }

    [Fact]
    public void TryLoad_MissingFile_ReturnsIoError()
    {
        Assert.Equal(ElfError.IoError, ElfFile.TryLoad("/nonexistent/kernel.elf", out ElfFile? elf));
        Assert.Null(elf);
    }
}
