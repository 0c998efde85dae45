// qemu/oom/oom.c on the kernel: a child that touches memory until none is left
// is killed by the OOM killer (SIGKILL, with Linux's "Out of memory: Killed
// process" line), while its parent, faulting pages in during the shortage,
// waits, survives and allocates again. Kernel-only: natively it would take
// the host's memory.
using System.Diagnostics;
using System.IO;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.QemuTests;

public class OomTests(ITestOutputHelper output)
{
    [Fact]
    public async System.Threading.Tasks.Task MemoryHog_IsKilled_ItsParentGoesOn()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"kevlar-{System.Environment.ProcessId}-oom");
        Directory.CreateDirectory(dir);
        try
        {
            var cc = Process.Start("musl-gcc", new[] { "-static", "-O2", "-o", Path.Combine(dir, "oom"), Path.Combine(KernelImage.Root, "qemu", "oom", "oom.c") })!;
            await cc.WaitForExitAsync();
            Assert.Equal(0, cc.ExitCode);
            var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in new[] { Path.Combine(KernelImage.Root, "qemu", "run-user.sh"), "--kernel-stats", "--timeout", "200", "--add", dir, "--", "/oom" })
                psi.ArgumentList.Add(a);
            using var run = Process.Start(psi)!;
            var err = run.StandardError.ReadToEndAsync();
            string log = await run.StandardOutput.ReadToEndAsync();
            await run.WaitForExitAsync();
            log += await err;
            output.WriteLine(log);
            Assert.Equal(0, run.ExitCode);
            Assert.Contains("PASS hog-killed-by-sigkill", log);
            Assert.Contains("PASS parent-survives-and-allocates", log);
            Assert.Matches(@"Out of memory: Killed process \d+ \(oom\) total-vm:\d+kB, anon-rss:\d+kB", log);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
