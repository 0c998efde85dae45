// The benchmark program of `./kevlar bench` (qemu/bench/syscall-bench.c) in
// its quick mode (--scale 0.001: a few iterations of each), so every benchmark
// keeps running: natively on this host (the program is right) and on the
// kernel with the benchmark tree of qemu/bench/build-root.sh at the
// initramfs root. Each benchmark the program lists must print
// "bench NAME ITERATIONS NS_PER_OP" with positive figures, no benchmark may
// print bench-error, and the run must end with "bench-end N 0". Timings are
// not checked: they are `./kevlar bench`'s business.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.QemuTests;

public class BenchProgramTests(ITestOutputHelper output)
{
    private const int TimeoutSeconds = 300;
    private static readonly string[] s_quick = ["--scale", "0.001"];

    private static readonly Lazy<string> s_tree = new(BuildTree);

    private static string BuildTree()
    {
        var r = ProcessRunner.Run("bash", [Path.Combine(KernelImage.Root, "qemu", "bench", "build-root.sh")], KernelImage.Root, TimeSpan.FromMinutes(5));
        if (r.ExitCode != 0) throw new InvalidOperationException($"qemu/bench/build-root.sh failed (exit {r.ExitCode}):\n{r.Output}");
        return UserRun.Lines(r.Output).Last();
    }

    private static string[] Names()
    {
        var list = UserRun.Native(Path.Combine(s_tree.Value, "syscall-bench"), ["--list"], 30);
        Assert.True(list.ExitCode == 0 && list.Lines.Length > 0, "syscall-bench --list failed:\n" + list.Describe());
        return list.Lines;
    }

    [Fact]
    public void BenchProgram_QuickNatively_EveryBenchmarkPrintsAFigure()
    {
        var run = UserRun.Native(Path.Combine(s_tree.Value, "syscall-bench"), [.. s_quick, "--root", s_tree.Value], TimeoutSeconds);
        output.WriteLine(run.Describe());
        AssertEveryFigure(Names(), run, "natively");
    }

    [Fact]
    public void BenchProgram_QuickOnKernel_EveryBenchmarkPrintsAFigure()
    {
        string[] names = Names();
        var run = UserRun.Kernel([s_tree.Value], "/syscall-bench", s_quick, TimeoutSeconds);
        output.WriteLine(run.Describe());
        string? unfinished = UserRun.Unfinished(run);
        Assert.True(unfinished == null, $"syscall-bench on the kernel: {unfinished} (exit {run.ExitCode})");
        AssertEveryFigure(names, run, "on the kernel");
    }

    /// <summary>Every listed benchmark printed one line with positive figures, none failed, and the run ended cleanly.</summary>
    private static void AssertEveryFigure(IReadOnlyList<string> names, UserRunResult run, string where)
    {
        var errors = run.Lines.Where(l => l.StartsWith("bench-error ", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, $"{where}, benchmarks failed:\n{string.Join("\n", errors)}");
        var figures = new Dictionary<string, (long Iterations, double Ns)>();
        foreach (string line in run.Lines.Where(l => l.StartsWith("bench ", StringComparison.Ordinal)))
        {
            string[] f = line.Split(' ');
            Assert.True(f.Length == 4, $"{where}, a malformed line: '{line}'");
            figures[f[1]] = (long.Parse(f[2], CultureInfo.InvariantCulture), double.Parse(f[3], CultureInfo.InvariantCulture));
        }
        var missing = names.Where(n => !figures.ContainsKey(n)).ToList();
        Assert.True(missing.Count == 0, $"{where}, no figure for: {string.Join(", ", missing)}");
        var bad = names.Where(n => figures[n].Iterations <= 0 || !(figures[n].Ns > 0)).ToList();
        Assert.True(bad.Count == 0, $"{where}, figures that are not positive: {string.Join(", ", bad.Select(n => $"{n} {figures[n]}"))}");
        Assert.Equal($"bench-end {names.Count} 0", run.Lines.LastOrDefault(l => l.StartsWith("bench-end ", StringComparison.Ordinal)));
        Assert.Equal(0, run.ExitCode);
    }
}
