// PanicLogParserTests: pulling panic reports out of serial logs.
using Kevlar.Decode;
using Xunit;

namespace Kevlar.Decode.Tests;

public class PanicLogParserTests
{
    [Fact]
    public void Parse_CrlfLogWithNoise_ReadsEveryField()
    {
        PanicReport report = Assert.Single(PanicLogParser.Parse(new PanicLogBuilder().Build()));

        Assert.Equal(1, report.Cpu);
        Assert.Equal(14, report.Vector);
        Assert.Equal("#PF page fault", report.VectorName);
        Assert.Equal(2UL, report.ErrorCode);
        Assert.Equal("stack guard page hit", report.Reason);
        Assert.True(report.TryGetRegister("rip", out ulong rip));
        Assert.Equal(TestKernel.FaultSite, rip);
        Assert.True(report.TryGetRegister("cr2", out ulong cr2));
        Assert.Equal(0x1008UL, cr2);
        Assert.Equal(21, report.Registers.Count); // rip rsp rflags cs ss + 16 general-purpose
        Assert.Equal(TestKernel.FaultSite - 16, report.CodeAddress);
        Assert.Equal(0x48, report.Code[16]); // mov [rdi+8], rax
        Assert.Equal(0x7000UL, report.StackAddress);
        Assert.Equal(8, report.Stack.Count);
        Assert.True(report.Complete);
        Assert.Empty(report.UnparsedLines);
    }

    [Fact]
    public void Parse_HeaderAfterTextOnSameLine_FindsIt()
    {
        var log = new PanicLogBuilder { Before = "partial line without newline" }.Build();

        Assert.Single(PanicLogParser.Parse(log));
    }

    [Fact]
    public void Parse_AssertionPanic_VectorMinusOne()
    {
        var log = new PanicLogBuilder
        {
            Vector = "vector=-1 (assert) error=0x0000000000000000",
            Reason = "assertion failed: mailbox not empty",
        }.Build();

        PanicReport report = Assert.Single(PanicLogParser.Parse(log));

        Assert.Equal(-1, report.Vector);
        Assert.Equal("assert", report.VectorName);
        Assert.Equal("assertion failed: mailbox not empty", report.Reason);
    }

    [Fact]
    public void Parse_CpuStatesAndRecentSyscalls_KeptAsTheirSections()
    {
        string report = "KEVLAR PANIC cpu=1 vector=-1 (assert) error=0x0\r\n"
            + "  reason: deliberate\r\n"
            + "  cpu 0: halted, last loop pass 30 ms ago\r\n"
            + "  cpu 1: this report, last loop pass 33 ms ago, running thread 2, holds serial-line\r\n"
            + "  cpu 1 recent syscalls, oldest first:\r\n"
            + "    pid 2 tid 2 nr 59 execve (0x1, 0x2, 0x3) unfinished\r\n"
            + "    pid 2 tid 2 nr 231 exit_group (0x2a, 0x0, 0x0) = 0\r\n"
            + "KEVLAR PANIC END\r\n";

        PanicReport r = Assert.Single(PanicLogParser.Parse(report));

        Assert.Equal(2, r.CpuStates.Count);
        Assert.Equal(new[] { "cpu 1:", "pid 2 tid 2 nr 59 execve (0x1, 0x2, 0x3) unfinished", "pid 2 tid 2 nr 231 exit_group (0x2a, 0x0, 0x0) = 0" },
            r.RecentSyscalls);
        Assert.Empty(r.UnparsedLines);
    }

    [Fact]
    public void Parse_NoPanic_ReturnsEmpty()
    {
        Assert.Empty(PanicLogParser.Parse("SeaBIOS\r\nkevlar: all tests PASS\r\n"));
    }

    [Fact]
    public void Parse_CutOffLog_MarksIncomplete()
    {
        PanicReport report = Assert.Single(PanicLogParser.Parse(new PanicLogBuilder { WithEnd = false }.Build()));

        Assert.False(report.Complete);
    }

    [Fact]
    public void Parse_TwoPanics_ReturnsBoth()
    {
        string log = new PanicLogBuilder().Build() + new PanicLogBuilder { Reason = "second" }.Build();

        var reports = PanicLogParser.Parse(log);

        Assert.Equal(2, reports.Count);
        Assert.Equal("second", reports[1].Reason);
    }

    [Fact]
    public void Parse_UnreadableCodeAndSplitStack_KeepsWhatParses()
    {
        string log = "KEVLAR PANIC cpu=0 vector=13 (#GP general protection) error=0x0\n"
            + "  rip=0x100039 rsp=0x7000\n"
            + "  code@0x0000000000100029: (unreadable)\n"
            + "  stack@0x7000: 0x1 0x2\n"
            + "  stack@0x7010: 3 4\n"
            + "  cpu2: interleaved output\n"
            + "KEVLAR PANIC END\n";

        PanicReport report = Assert.Single(PanicLogParser.Parse(log));

        Assert.Empty(report.Code);
        Assert.Equal(new ulong[] { 1, 2, 3, 4 }, report.Stack);
        Assert.Equal(new[] { "cpu2: interleaved output" }, report.UnparsedLines);
    }
}
