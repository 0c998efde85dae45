// The SMP regression suite in CI: each program of qemu/smp-suite.list run
// twice through qemu/smp-suite.sh (multi-threaded TCG, 4 CPUs), a budget that
// fits CI; `./kevlar smp-suite` runs 20 by default. Every run must pass: no
// FAIL line, no panic, no hang. Each program's output is compared with Linux
// in UserProgramTests.
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
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
    public async System.Threading.Tasks.Task Program_RunsTwiceOnFourCpus_EveryRunPasses(string name)
    {
        UserRun.EnsureProgramsBuilt();
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = KernelImage.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(KernelImage.Root, "qemu", "smp-suite.sh"));
        foreach (string a in new[] { "--runs", Runs.ToString(), "--smp", "4", "--filter", "^" + name + "$" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string log = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        log += await stderr;
        output.WriteLine(log);
        Assert.Contains($"smp-suite: {Runs} of {Runs} runs passed", log);
        Assert.Equal(0, p.ExitCode);
    }
}
