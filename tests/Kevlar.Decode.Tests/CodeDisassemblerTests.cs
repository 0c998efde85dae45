// CodeDisassemblerTests: decoding the code window and marking the faulting
// instruction, with and without the ELF's help to find instruction starts.
using System.Linq;
using Kevlar.Decode;
using Xunit;

namespace Kevlar.Decode.Tests;

public class CodeDisassemblerTests
{
    private static byte[] Window(ulong at, int count) => TestKernel.Load().ReadAt(at, count).ToArray();

    [Fact]
    public void Disassemble_WindowStartsMidInstruction_MarksFaultingStore()
    {
        var disassembler = new CodeDisassembler(new Symbolizer(TestKernel.Load()));
        ulong at = TestKernel.FaultSite - 16;

        var lines = disassembler.Disassemble(Window(at, 48), at, TestKernel.FaultSite);

        DisassembledLine fault = Assert.Single(lines, l => l.IsFault);
        Assert.Equal(TestKernel.FaultSite, fault.Address);
        Assert.Equal("mov [rdi+8], rax", fault.Text);
        Assert.Equal(new byte[] { 0x48, 0x89, 0x47, 0x08 }, fault.Bytes);
    }

    [Fact]
    public void ChooseStart_FunctionStartOutsideWindow_PicksOffsetLandingOnRip()
    {
        var disassembler = new CodeDisassembler(new Symbolizer(null));
        ulong at = TestKernel.FaultSite - 16; // inside "mov rdi, 0x1000" (7 bytes at 0x100028)

        int start = disassembler.ChooseStart(Window(at, 48), at, TestKernel.FaultSite);

        Assert.InRange(start, 0, 15);
        var lines = disassembler.Disassemble(Window(at, 48), at, TestKernel.FaultSite);
        Assert.Contains(lines, l => l.IsFault && l.Address == TestKernel.FaultSite);
    }

    [Fact]
    public void ChooseStart_FunctionStartInsideWindow_StartsThere()
    {
        var disassembler = new CodeDisassembler(new Symbolizer(TestKernel.Load()));
        ulong at = TestKernel.Trigger - 3;

        Assert.Equal(3, disassembler.ChooseStart(Window(at, 48), at, TestKernel.FaultSite));
    }

    [Fact]
    public void Disassemble_DirectCall_SymbolizesTarget()
    {
        var disassembler = new CodeDisassembler(new Symbolizer(TestKernel.Load()));

        var lines = disassembler.Disassemble(Window(TestKernel.Run, 24), TestKernel.Run, TestKernel.ReturnAfterTrigger);

        Assert.Contains(lines, l => l.Text == "call " + TestKernel.TriggerName);
        Assert.Contains(lines, l => l.Text == "call qword ptr [s_handler]");
        Assert.Contains(lines, l => l.Text == "lea rbx, [" + TestKernel.ConcatName + "]");
    }

    [Fact]
    public void Disassemble_RipOutsideWindow_MarksNothing()
    {
        var disassembler = new CodeDisassembler(new Symbolizer(TestKernel.Load()));

        var lines = disassembler.Disassemble(Window(TestKernel.Run, 24), TestKernel.Run, 0x500000);

        Assert.DoesNotContain(lines, l => l.IsFault);
        Assert.Equal(TestKernel.Run, lines[0].Address);
    }

    [Fact]
    public void Disassemble_InstructionCutByWindowEnd_ShowsTruncated()
    {
        var disassembler = new CodeDisassembler(new Symbolizer(null));
        byte[] code = Window(0x10002F, 5); // first 5 of the 10-byte movabs

        var line = Assert.Single(disassembler.Disassemble(code, 0x10002F, 0x10002F));

        Assert.Equal("(truncated)", line.Text);
        Assert.Equal(5, line.Bytes.Length);
    }

    [Fact]
    public void Disassemble_InvalidBytes_ShowsBadOneByteAtATime()
    {
        var disassembler = new CodeDisassembler(new Symbolizer(null));
        byte[] code = { 0x90, 0x06, 0x06, 0x90 }; // push es is invalid in 64-bit mode

        var lines = disassembler.Disassemble(code, 0x1000, 0x1000);

        Assert.Equal(new[] { "nop", "(bad)", "(bad)", "nop" }, lines.Select(l => l.Text).ToArray());
        Assert.True(lines[0].IsFault);
    }

    [Fact]
    public void ChooseStart_GarbageBeforeRip_PrefersOffsetWithoutInvalidInstructions()
    {
        var disassembler = new CodeDisassembler(new Symbolizer(null));
        byte[] code = { 0x06, 0x06, 0x90 };

        Assert.Equal(2, disassembler.ChooseStart(code, 0x1000, 0x1002));
    }
}
