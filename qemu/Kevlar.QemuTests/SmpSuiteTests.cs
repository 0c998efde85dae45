// The SMP regression suite in CI: each program of qemu/smp-suite.list run
// twice through qemu/smp-suite.sh (multi-threaded TCG, 4 CPUs), a budget that
// fits CI; `./kevlar smp-suite` runs 20 by default. Every run must pass: no
// FAIL line, no panic, no hang. Each program's output is compared with Linux
// in UserProgramTests.
using System.IO;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.QemuTests;

public class SmpSuiteTests(ITestOutputHelper output)
{
    private const int Runs = 2;

    public static TheoryData<string> Programs
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string line in File.ReadAllLines(Path.Combine(KernelImage.Root, "qemu", "smp-suite.list")))
            {
                string name = line.Split(' ', 2)[0].Trim();
                if (name.Length > 0 && !name.StartsWith('#')) data.Add(name);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void Program_RunsTwiceOnFourCpus_EveryRunPasses(string name)
    {
        UserRun.EnsureProgramsBuilt();
        string[] args = [Path.Combine(KernelImage.Root, "qemu", "smp-suite.sh"), "--runs", Runs.ToString(), "--smp", "4", "--filter", "^" + name + "$"];
        var r = ProcessRunner.Run("bash", args, KernelImage.Root, System.TimeSpan.FromMinutes(30));
        output.WriteLine(r.Output);
        Assert.Contains($"smp-suite: {Runs} of {Runs} runs passed", r.Output);
        Assert.Equal(0, r.ExitCode);
    }
}
