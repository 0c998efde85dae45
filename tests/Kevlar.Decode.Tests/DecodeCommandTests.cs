// DecodeCommandTests: the decoder end to end — arguments, exit codes and the
// printed report for a log made against the test kernel.
using System.IO;
using Kevlar.Decode;
using Xunit;

namespace Kevlar.Decode.Tests;

public class DecodeCommandTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = DecodeCommand.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string WriteLog(string text)
    {
        string path = Path.GetTempFileName();
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Run_PagFaultLog_DecodesWithSymbolsAndMarksRip()
    {
        var (exit, output, _) = Run(WriteLog(new PanicLogBuilder().Build()), "--elf", TestKernel.Path);

        Assert.Equal(DecodeCommand.ExitDecoded, exit);
        Assert.Contains("=== KEVLAR PANIC cpu=1 vector=14 (#PF page fault)", output);
        Assert.Contains("reason: stack guard page hit", output);
        Assert.Contains("(not present, write, kernel)", output);
        Assert.Contains("rip:    0x0000000000100039  " + TestKernel.TriggerName + "+0x19 (Kevlar.Drivers.X86_64.Panic.Trigger)", output);
        Assert.Contains("rbx  0x0000000000100043  " + TestKernel.ConcatName + " (System.String.Concat)", output);
        Assert.Contains("  => 0x0000000000100039  48 89 47 08", output);
        Assert.Contains("#1  0x0000000000100018  " + TestKernel.RunName + "+0x10", output);
        Assert.DoesNotContain("warning", output);
    }

    [Fact]
    public void Run_NoCodeBytes_DisassemblesFromElf()
    {
        var (exit, output, _) = Run(WriteLog(new PanicLogBuilder { WithCode = false }.Build()), "--elf", TestKernel.Path);

        Assert.Equal(DecodeCommand.ExitDecoded, exit);
        Assert.Contains("from the ELF", output);
        Assert.Contains("  => 0x0000000000100039", output);
    }

    [Fact]
    public void Run_CodeDiffersFromElf_Warns()
    {
        string log = new PanicLogBuilder().Build().Replace(" 48 89 47 08", " 48 89 47 10");

        var (_, output, _) = Run(WriteLog(log), "--elf", TestKernel.Path);

        Assert.Contains("warning: byte at 0x000000000010003c differs from the ELF", output);
    }

    [Fact]
    public void Run_LogWithoutPanic_Exits2()
    {
        var (exit, output, _) = Run(WriteLog("booted\r\nall PASS\r\n"), "--elf", TestKernel.Path);

        Assert.Equal(DecodeCommand.ExitNoPanic, exit);
        Assert.Contains("no KEVLAR PANIC", output);
    }

    [Fact]
    public void Run_MissingElf_Exits1()
    {
        var (exit, _, errors) = Run(WriteLog(new PanicLogBuilder().Build()), "--elf", "/nonexistent/kernel.elf");

        Assert.Equal(DecodeCommand.ExitError, exit);
        Assert.Contains("cannot use ELF /nonexistent/kernel.elf", errors);
    }

    [Fact]
    public void Run_MalformedElf_Exits1WithReason()
    {
        string elf = WriteLog("this is not an ELF file, just text long enough to pass the size check.........");

        var (exit, _, errors) = Run(WriteLog(new PanicLogBuilder().Build()), "--elf", elf);

        Assert.Equal(DecodeCommand.ExitError, exit);
        Assert.Contains("not an ELF file", errors);
    }

    [Fact]
    public void Run_NoElfFlag_DecodesWithoutSymbols()
    {
        var (exit, output, _) = Run(WriteLog(new PanicLogBuilder().Build()), "--no-elf");

        Assert.Equal(DecodeCommand.ExitDecoded, exit);
        Assert.Contains("(no symbol)", output);
        Assert.Contains("  => 0x0000000000100039", output);
    }

    [Fact]
    public void Run_MissingLog_Exits1()
    {
        var (exit, _, errors) = Run("/nonexistent/serial.log", "--no-elf");

        Assert.Equal(DecodeCommand.ExitError, exit);
        Assert.Contains("cannot read log", errors);
    }

    [Fact]
    public void Run_NoArguments_Exits1WithUsage()
    {
        var (exit, _, errors) = Run();

        Assert.Equal(DecodeCommand.ExitError, exit);
        Assert.Contains("usage:", errors);
    }
}
