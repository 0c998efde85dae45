// The kernel corlib against .NET: boots `kevlar.test=corlib-conformance`,
// takes the lines the kernel printed between the self-test's markers, and
// asserts they equal the lines the same checks
// (qemu/selftests/Conformance) give when run here on .NET.
using System;
using System.Collections.Generic;
using System.Linq;
using Kevlar.SelfTests.Conformance;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.QemuTests;

public class CorlibConformanceTests(ITestOutputHelper output)
{
    private const int TimeoutSeconds = 120;
    // As printed by qemu/selftests/CorlibConformanceTest.cs.
    private const string BeginMarker = "corlib-conformance: begin";
    private const string EndMarker = "corlib-conformance: end";

    private QemuRun Run(int smp)
    {
        var run = QemuBoot.Cached(smp, "kevlar.test=corlib-conformance", TimeoutSeconds);
        output.WriteLine(run.Describe());
        return run;
    }

    private static List<string> KernelLines(QemuRun run)
    {
        string[] lines = run.Lines;
        int begin = Array.IndexOf(lines, BeginMarker);
        int end = Array.IndexOf(lines, EndMarker);
        Assert.True(begin >= 0 && end > begin, $"no '{BeginMarker}' ... '{EndMarker}' block in the log");
        return lines.Skip(begin + 1).Take(end - begin - 1).ToList();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Conformance_KernelLines_EqualDotNetLines(int smp)
    {
        var run = Run(smp);
        List<string> kernel = KernelLines(run);
        List<string> host = CorlibConformance.Run();
        var differences = new List<string>();
        for (int i = 0; i < Math.Max(kernel.Count, host.Count); i++)
        {
            string k = i < kernel.Count ? kernel[i] : "(missing)";
            string h = i < host.Count ? host[i] : "(missing)";
            if (k != h) differences.Add($"line {i + 1}: kernel '{k}', .NET '{h}'");
        }
        Assert.True(differences.Count == 0,
            $"{differences.Count} of {host.Count} lines differ:\n{string.Join("\n", differences.Take(40))}");
    }

    [Fact]
    public void Conformance_SelfTest_PassesAndExitsZero()
    {
        var run = Run(1);
        var verdict = run.Find(@"^selftest corlib-conformance: (PASS|FAIL) (.*)$");
        Assert.True(verdict != null, "no 'selftest corlib-conformance:' line");
        Assert.True(verdict!.Groups[1].Value == "PASS", $"failed: {verdict.Groups[2].Value}");
        Assert.True(run.ExitCode == QemuRun.Pass, $"exit status {run.ExitCode}, expected 0 (pass)");
        Assert.DoesNotContain("KEVLAR PANIC", run.Log);
    }
}
