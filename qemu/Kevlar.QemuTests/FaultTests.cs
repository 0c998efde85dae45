// Deliberate faults from the kernel command line: each must end in a panic
// report and a failing exit status, and the decoder must read the report.
using System.IO;
using System.Text.RegularExpressions;
using Kevlar.Decode;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.QemuTests;

public class FaultTests(ITestOutputHelper output)
{
    private const int TimeoutSeconds = 60;

    private QemuRun Run(string fault)
    {
        var run = QemuBoot.Cached(4, "kevlar.fault=" + fault, TimeoutSeconds);
        output.WriteLine(run.Describe());
        return run;
    }

    private static void AssertPanicReport(QemuRun run)
    {
        Assert.True(run.ExitCode == QemuRun.Fail, $"exit status {run.ExitCode}, expected 1 (kernel reported failure)");
        Assert.Contains("KEVLAR PANIC cpu=", run.Log);
        Assert.Contains("KEVLAR PANIC END", run.Log);
        Assert.Matches(@"(?m)^\s*rip=0x[0-9a-f]+", run.Log);
        Assert.Matches(@"(?m)^\s*code@0x[0-9a-f]+: [0-9a-f]{2}", run.Log);
    }

    /// <summary>Runs the decoder (what `./kevlar decode LOG` runs) on the captured log against the ELF that booted.</summary>
    private (int Exit, string Text) Decode(QemuRun run)
    {
        string log = Path.Combine(Path.GetTempPath(), $"kevlar-{System.Environment.ProcessId}-{run.Append.Replace('=', '-')}.log");
        File.WriteAllText(log, run.Log);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = DecodeCommand.Run([log, "--elf", run.Elf], stdout, stderr);
        output.WriteLine($"--- decoder (exit {exit}) ---\n{stdout}{stderr}");
        return (exit, stdout.ToString() + stderr);
    }

    [Fact]
    public void CovariantSpan_WriteIntoStringArray_Refused()
    {
        var run = Run("covariant-span");
        AssertPanicReport(run);
        var reason = run.Find(@"^\s*reason: (.*)$");
        Assert.True(reason != null, "the report has no reason line");
        Assert.Contains("array type mismatch", reason!.Groups[1].Value);
    }

    [Fact]
    public void StackOverflow_GuardPage_PanicReportAndFailStatus()
    {
        var run = Run("stack-overflow");
        AssertPanicReport(run);
        var reason = run.Find(@"^\s*reason: (.*)$");
        Assert.True(reason != null, "the report has no reason line");
        Assert.Contains("stack guard page", reason!.Groups[1].Value);
    }

    [Fact]
    public void NullWrite_PageFault_PanicReportAndFailStatus()
    {
        var run = Run("null-write");
        AssertPanicReport(run);
        Assert.Matches(@"KEVLAR PANIC cpu=\d+ vector=14 ", run.Log);
        var cr2 = run.Find(@"cr2=0x([0-9a-f]+)");
        Assert.True(cr2 != null && System.Convert.ToUInt64(cr2.Groups[1].Value, 16) < 0x1000, "cr2 is not in page 0");
    }

    [Fact]
    public void NullWrite_Decoded_NamesTheFaultingFunction()
    {
        var run = Run("null-write");
        AssertPanicReport(run);
        var (exit, text) = Decode(run);
        Assert.Equal(DecodeCommand.ExitDecoded, exit);
        var rip = Regex.Match(text, @"(?m)^rip:.*$");
        Assert.True(rip.Success, "the decoder printed no rip line");
        Assert.Contains("DeliberateFaults", rip.Value);
        Assert.Contains("=>", text);
    }

    // A CPU spinning in kernel code (interrupts off) is found by another CPU's watchdog, which
    // lists every CPU and sends it an NMI: its report shows where it spins.
    [Fact]
    public void KernelHang_Watchdog_NmiReportNamesTheSpinningFunction()
    {
        var run = QemuBoot.Cached(4, "kevlar.fault=kernel-hang kevlar.watchdog=2", TimeoutSeconds);
        output.WriteLine(run.Describe());
        AssertPanicReport(run);
        Assert.Matches(@"kevlar watchdog: cpu 3 has not passed its scheduler loop for \d+ ms", run.Log);
        Assert.Matches(@"(?m)^\s*cpu 3: in the kernel, last loop pass \d+ ms ago", run.Log);
        Assert.Matches(@"KEVLAR PANIC cpu=3 vector=2 ", run.Log);
        var (exit, text) = Decode(run);
        Assert.Equal(DecodeCommand.ExitDecoded, exit);
        Assert.Contains("SpinInTheKernel", text);
    }

    // Taking a lower-ranked lock while holding a higher one is refused the first time it runs,
    // and the report lists what each CPU holds.
    [Fact]
    public void LockOrder_HeapPoolWhilePrinting_PanicNamesBothLocks()
    {
        var run = Run("lock-order");
        AssertPanicReport(run);
        var reason = run.Find(@"^\s*reason: (.*)$");
        Assert.True(reason != null, "the report has no reason line");
        Assert.Contains("LockOrder: heap-blocks taken while holding it or a lock ranked above it", reason!.Groups[1].Value);
        Assert.Matches(@"(?m)^\s*cpu \d+: this report, .*holds serial-line, waiting for heap-blocks", run.Log);
        var (exit, text) = Decode(run);
        Assert.Equal(DecodeCommand.ExitDecoded, exit);
        Assert.Contains("AllocateWhilePrinting", text);
    }

    [Fact]
    public void StackOverflow_Decoded_ReportFound()
    {
        var run = Run("stack-overflow");
        var (exit, text) = Decode(run);
        Assert.Equal(DecodeCommand.ExitDecoded, exit);
        Assert.Contains("stack guard page", text);
    }

    // A failure in a system call shows the calls that led to it: each CPU's ring of recent
    // syscalls is in the report, and the decoder names them (run-user.sh prints the decoded form).
    [Fact]
    public void SyscallFault_ReportListsRecentSyscallsPerCpu()
    {
        UserRun.EnsureProgramsBuilt(); // a clean checkout has no qemu/out/user yet
        var r = UserRun.Kernel([UserRun.ProgramDir], "/exit-status", [], TimeoutSeconds, "--append", "kevlar.fault=syscall:231");
        string text = string.Join("\n", r.Lines);
        output.WriteLine(text);
        Assert.Equal(99, r.ExitCode); // run-user.sh: a kernel panic
        Assert.Contains("deliberate assertion at system call", text);
        Assert.Contains("recent syscalls per cpu, oldest first:", text);
        // The program's own calls, from its execve to the exit_group that failed (unfinished).
        Assert.Matches(@"pid (\d+) tid \1 nr 59 execve \(0x[0-9a-f]+, 0x[0-9a-f]+, 0x[0-9a-f]+\)", text);
        Assert.Matches(@"pid (\d+) tid \1 nr 231 exit_group \(0x[0-9a-f]+, .*\) unfinished", text);
        Assert.Matches(@"nr 57 fork \(.*\) = \d+", text); // init's fork of the program, with its result
    }
}
