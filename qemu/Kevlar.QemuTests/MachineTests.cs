// The same image on QEMU's other x86 machines: q35 (PCIe chipset) and microvm
// (no PCI, no PC speaker gate, ACPI only on request). Every CPU comes online,
// actors ping-pong across every pair, and the clock calibrates sanely.
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.QemuTests;

public class MachineTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("q35")]
    [InlineData("microvm")]
    public void Boot_OtherMachine_AllCpusOnlineAndPingPong(string machine)
    {
        var run = QemuBoot.Cached(4, "kevlar.test=cpus-online,ping-pong,heap-survival", 300, 512, machine);
        output.WriteLine(run.Describe());
        Assert.True(run.ExitCode == QemuRun.Pass, $"exit status {run.ExitCode}, expected 0 (pass)");
        var online = run.Find(@"^smp: (\d+) CPUs? online");
        Assert.True(online != null && online.Groups[1].Value == "4", "not every CPU came online");
        var tsc = run.Find(@"tsc (\d+) MHz");
        Assert.True(tsc != null && int.Parse(tsc.Groups[1].Value) >= 100, $"implausible TSC calibration: {tsc?.Value}");
    }
}
