// The bounded fuzz run of `./kevlar fuzz` (qemu/fuzz/fuzz.c through
// qemu/fuzz.sh): a fixed seed, 20,000 random syscalls from one process per
// CPU of 4-CPU QEMU. The kernel must not panic or stop answering, the
// fuzzer must keep making progress, and the run must reach most described
// syscalls and many errno values, and leave the kernel heap and free memory
// where they were (fuzz.c's LEAK check); the summary and the kernel's figures
// at exit are printed. The minimizer (qemu/fuzz-minimize.sh) is shown a
// failure injected at one syscall (kevlar.fault=syscall:63, uname) and must
// shrink the failing run to that one call. Every syscall the table registers
// must be described to the fuzzer.
using System.Diagnostics;
using System.Linq;
using System.IO;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.QemuTests;

public class FuzzTests(ITestOutputHelper output)
{
    [Fact]
    public async System.Threading.Tasks.Task BoundedFuzz_FixedSeed_NoPanicNoHangWideCoverage()
    {
        var (status, log) = await Run("fuzz.sh", "--seed", "1", "--calls", "20000", "--smp", "4");
        Assert.True(status == 0, "the fuzz run failed (see the log; qemu/out/fuzz keeps it with its seed)");
        Assert.Contains("fuzz: done", log);
        var summary = Regex.Match(log, @"fuzz: summary: (\d+) calls .* (\d+) of (\d+) described syscalls reached, (\d+) errno values");
        Assert.True(summary.Success, "no summary line");
        Assert.True(long.Parse(summary.Groups[1].Value) >= 20000, "fewer calls than asked");
        Assert.True(int.Parse(summary.Groups[2].Value) >= 150, $"only {summary.Groups[2].Value} syscalls reached");
        Assert.True(int.Parse(summary.Groups[4].Value) >= 20, $"only {summary.Groups[4].Value} errno values");
        Assert.Matches(@"kernel: free-pages \d+", log);
        Assert.Matches(@"fuzz: kernel heap live after a collection: before \d+ KiB, after \d+ KiB", log);
        Assert.DoesNotContain("fuzz: LEAK", log);
    }

    // Found by the fuzzer once each worker had a second thread: a worker whose main thread left
    // by SYS_exit, its second thread then ending the process, crashed the kernel (a CPU that still
    // had the dead space loaded fetched kernel code through page-table pages the space had freed;
    // UserPageTables keeps them now). Only getpid and exit are drawn; it failed 3 runs of 3 before.
    [Fact]
    public async System.Threading.Tasks.Task WorkersWhoseMainThreadExits_NoPanic()
    {
        var (status, log) = await Run("fuzz.sh", "--seed", "3", "--calls", "20000", "--smp", "4", "--only", "getpid,exit");
        Assert.True(status == 0, $"the run failed (status {status})");
        Assert.Contains("fuzz: done", log);
    }

    [Fact]
    public async System.Threading.Tasks.Task Minimize_FaultInjectedAtUname_ShrinksToThatOneCall()
    {
        var (status, log) = await Run("fuzz.sh", "--seed", "1", "--calls", "20000", "--smp", "4", "--append", "kevlar.fault=syscall:63");
        Assert.True(status == 99, $"the injected fault did not panic the kernel (status {status})");
        string kept = Path.Combine(KernelImage.Root, "qemu", "out", "fuzz", "failure-1.txt");
        Assert.True(File.Exists(kept), "no failure file kept");

        (status, log) = await Run("fuzz-minimize.sh", kept);

        Assert.True(status == 0, "the minimizer failed");
        string result = File.ReadAllText(Path.Combine(KernelImage.Root, "qemu", "out", "fuzz", "minimized-1.txt"));
        var calls = Regex.Matches(result, @"^fuzz: call \d+ (\w+)\(", RegexOptions.Multiline);
        Assert.True(calls.Count == 1, $"minimized to {calls.Count} calls, not 1:\n{result}");
        Assert.Equal("uname", calls[0].Groups[1].Value);
        Assert.Contains("# reproduce: ./kevlar fuzz --smp 1 --seed 1 --generation", result);
    }

    [Fact]
    public void Descriptions_EveryRegisteredSyscall_IsDescribed()
    {
        string table = File.ReadAllText(Path.Combine(KernelImage.Root, "actors", "process", "Syscalls", "SyscallTable.cs"));
        string fuzz = File.ReadAllText(Path.Combine(KernelImage.Root, "qemu", "fuzz", "fuzz.c"));
        var registered = Regex.Matches(table, @"Set(?:Async)?\(SyscallNumber\.(\w+)").Select(m => m.Groups[1].Value).ToHashSet();
        var described = Regex.Matches(fuzz, @"\{SYS_\w+, ""(\w+)""").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.True(registered.Count > 150, $"only {registered.Count} registrations found: the pattern no longer matches SyscallTable.cs");
        Assert.Empty(registered.Except(described));
    }

    private async System.Threading.Tasks.Task<(int Status, string Log)> Run(string script, params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = KernelImage.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(KernelImage.Root, "qemu", script));
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string log = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        log += await stderr;
        output.WriteLine(log);
        return (p.ExitCode, log);
    }
}
