// The bounded fuzz run of `./kevlar fuzz` (qemu/fuzz/fuzz.c through
// qemu/fuzz.sh): a fixed seed, 20,000 random syscalls from one process per
// CPU of 4-CPU QEMU. The kernel must not panic or stop answering, the
// fuzzer must keep making progress, and the run must reach most described
// syscalls and many errno values; the summary and the kernel's figures at
// exit are printed.
using System.Diagnostics;
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
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = KernelImage.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(KernelImage.Root, "qemu", "fuzz.sh"));
        foreach (string a in new[] { "--seed", "1", "--calls", "20000", "--smp", "4" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string log = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        log += await stderr;
        output.WriteLine(log);
        Assert.True(p.ExitCode == 0, "the fuzz run failed (see the log; qemu/out/fuzz keeps it with its seed)");
        Assert.Contains("fuzz: done", log);
        var summary = Regex.Match(log, @"fuzz: summary: (\d+) calls .* (\d+) of (\d+) described syscalls reached, (\d+) errno values");
        Assert.True(summary.Success, "no summary line");
        Assert.True(long.Parse(summary.Groups[1].Value) >= 20000, "fewer calls than asked");
        Assert.True(int.Parse(summary.Groups[2].Value) >= 150, $"only {summary.Groups[2].Value} syscalls reached");
        Assert.True(int.Parse(summary.Groups[4].Value) >= 20, $"only {summary.Groups[4].Value} errno values");
        Assert.Matches(@"kernel: free-pages \d+", log);
    }
}
