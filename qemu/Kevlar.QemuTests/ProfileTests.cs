// ./kevlar profile (qemu/profile.sh): a program runs on the kernel while the
// host samples every vCPU through QEMU's monitor. The report must count
// samples, split them into idle, user and kernel, name kernel functions from
// kernel.elf and the program's own functions from its ELF, and leave folded
// stacks whose kernel frames run from the scheduler loop down.
using System;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.QemuTests;

public class ProfileTests(ITestOutputHelper output)
{
    [Fact]
    public void Profile_ForkLoop_ReportsKernelAndUserFunctionsAndFoldedStacks()
    {
        UserRun.EnsureProgramsBuilt();
        KernelImage.EnsureBuilt();
        string dir = Path.Combine(Path.GetTempPath(), $"kevlar-profile-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            File.Copy(Path.Combine(UserRun.ProgramDir, "forkstorm"), Path.Combine(dir, "forkstorm"), overwrite: true);
            var r = ProcessRunner.Run("bash", [Path.Combine(KernelImage.Root, "qemu", "profile.sh"), "--smp", "2", "--add", dir, "--", "/forkstorm"],
                KernelImage.Root, TimeSpan.FromMinutes(10));
            output.WriteLine(r.Output);
            Assert.Equal(0, r.ExitCode);
            var summary = System.Text.RegularExpressions.Regex.Match(r.Output, @"kevlar profile: (\d+) samples .* (\d+) CPU samples: idle [\d.]+%, user [\d.]+%, kernel [\d.]+%");
            Assert.True(summary.Success, "no summary line");
            Assert.True(int.Parse(summary.Groups[1].Value) > 10, "fewer than 10 samples");
            Assert.Contains("kernel  Kevlar.", r.Output);
            string folded = Path.Combine(KernelImage.Root, "qemu", "out", "profile", "forkstorm.folded");
            string[] lines = File.ReadAllLines(folded);
            Assert.Contains(lines, l => l.StartsWith("user;forkstorm;", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("kernel;", StringComparison.Ordinal) && l.Contains("Scheduler.RunLoop;") && l.Split(';').Length > 4);
            Assert.All(lines, l => Assert.Matches(@" \d+$", l));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
