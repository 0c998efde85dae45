// The launcher's verdicts: QEMU's own failure (status 1, e.g. a file that is
// no kernel) must never read as the kernel's pass.
using System.IO;
using Xunit;

namespace Kevlar.QemuTests;

public class LauncherTests
{
    [Fact]
    public void RunQemu_NotAKernel_FailsWithQemuError()
    {
        string bogus = Path.Combine(Path.GetTempPath(), $"kevlar-not-a-kernel-{System.Environment.ProcessId}.elf");
        File.WriteAllText(bogus, "this is not a kernel\n");
        var result = ProcessRunner.Run("bash",
            [Path.Combine(KernelImage.Root, "qemu", "run-qemu.sh"), "--kernel", bogus, "--timeout", "30"],
            KernelImage.Root, System.TimeSpan.FromSeconds(60));
        Assert.Equal(5, result.ExitCode);
    }
}
