// `kevlar.test=all` on 4 and 1 CPUs: every CPU comes online, every self-test
// passes (ping-pong across every pair, heap churn and cyclic graphs with flat
// heap use, awaited round trips with collections while methods are suspended),
// the summary matches the lines, and QEMU exits with status 0.
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.QemuTests;

public class SelfTestTests(ITestOutputHelper output)
{
    private const int TimeoutSeconds = 300;
    /// <summary>Heap use after may exceed before by this much (the kernel's own slack for "flat").</summary>
    private const long FlatSlackKiB = 512;

    private QemuRun Run(int smp)
    {
        var run = QemuBoot.Cached(smp, "kevlar.test=all", TimeoutSeconds);
        output.WriteLine(run.Describe());
        return run;
    }

    /// <summary>The detail of `selftest NAME: PASS detail`; fails the test when the line is missing or FAIL.</summary>
    private static string Passed(QemuRun run, string name)
    {
        var line = run.Find($@"^selftest {Regex.Escape(name)}: (PASS|FAIL) ?(.*)$");
        Assert.True(line != null, $"no 'selftest {name}:' line");
        Assert.True(line!.Groups[1].Value == "PASS", $"selftest {name} failed: {line.Groups[2].Value}");
        return line.Groups[2].Value;
    }

    private static (long Before, long After) Heap(string detail, string name)
    {
        var m = Regex.Match(detail, @"heap before (\d+) KiB after(?: \([^)]*\))? (\d+) KiB");
        Assert.True(m.Success, $"selftest {name} prints no 'heap before N KiB after M KiB': {detail}");
        return (long.Parse(m.Groups[1].Value), long.Parse(m.Groups[2].Value));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(1)]
    public void Boot_AllTests_ExitStatusZero(int smp)
    {
        var run = Run(smp);
        Assert.True(run.ExitCode == QemuRun.Pass, $"exit status {run.ExitCode}, expected 0 (pass)");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(1)]
    public void Boot_EveryCpu_ReportedOnline(int smp)
    {
        var run = Run(smp);
        var online = run.Find(@"^smp: (\d+) CPUs? online");
        Assert.True(online != null, "no 'smp: N CPUs online' line");
        Assert.Equal(smp, int.Parse(online!.Groups[1].Value));
        string detail = Passed(run, "cpus-online");
        Assert.StartsWith($"{smp} of {smp} CPUs", detail);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(1)]
    public void PingPong_EveryPairOfCpus_Completes(int smp)
    {
        string detail = Passed(Run(smp), "ping-pong");
        var m = Regex.Match(detail, @"(\d+) pairs x (\d+) round trips");
        Assert.True(m.Success, detail);
        Assert.Equal(smp == 1 ? 1 : smp * (smp - 1), int.Parse(m.Groups[1].Value));
        Assert.True(int.Parse(m.Groups[2].Value) > 0);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(1)]
    public void HeapChurn_MessageStorm_PassesWithFlatHeap(int smp)
    {
        string detail = Passed(Run(smp), "message-storm");
        var (before, after) = Heap(detail, "message-storm");
        Assert.True(after <= before + FlatSlackKiB, $"heap grew from {before} KiB to {after} KiB");
        var collections = Regex.Match(detail, @"collections (\d+)");
        Assert.True(collections.Success && int.Parse(collections.Groups[1].Value) > 0, $"no collection ran: {detail}");
        var messages = Regex.Match(detail, @"^(\d+) messages");
        Assert.True(messages.Success && long.Parse(messages.Groups[1].Value) >= 10_000_000, $"fewer than 10 million messages: {detail}");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(1)]
    public void CyclicGraphs_BuiltAndDropped_PassesWithFlatHeap(int smp)
    {
        string detail = Passed(Run(smp), "cyclic-graphs");
        var (before, after) = Heap(detail, "cyclic-graphs");
        Assert.True(after <= before + FlatSlackKiB, $"heap grew from {before} KiB to {after} KiB");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(1)]
    public void Migration_WanderingActor_InOrderOnItsHome(int smp)
    {
        string detail = Passed(Run(smp), "migration");
        var m = Regex.Match(detail, @"(\d+) migrations, visited (\d+) CPUs, (\d+) out of order, (\d+) handled off home");
        Assert.True(m.Success, detail);
        Assert.Equal(smp, int.Parse(m.Groups[2].Value));
        if (smp > 1) Assert.True(int.Parse(m.Groups[1].Value) > 0, $"no migration happened: {detail}");
        Assert.Equal("0", m.Groups[3].Value);
        Assert.Equal("0", m.Groups[4].Value);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(1)]
    public void AsyncAwait_RoundTripsAcrossCollections_EveryResultRight(int smp)
    {
        string detail = Passed(Run(smp), "async-await");
        var m = Regex.Match(detail, @"^(\d+) clients x (\d+) awaited round trips, (\d+) methods parked across a collection, (\d+) collections; cpu0<->cpu(\d+) round trip (\d+) ns$");
        Assert.True(m.Success, detail);
        Assert.Equal(smp, int.Parse(m.Groups[1].Value));
        Assert.True(int.Parse(m.Groups[2].Value) >= 10_000, $"fewer than 10,000 round trips: {detail}");
        Assert.True(int.Parse(m.Groups[3].Value) > 0, detail);
        Assert.True(int.Parse(m.Groups[4].Value) >= 2, $"fewer than two collections: {detail}");
        Assert.Equal(smp - 1, int.Parse(m.Groups[5].Value));
        Assert.True(long.Parse(m.Groups[6].Value) > 0, detail);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(1)]
    public void Boot_ExecParsers_AllChecksHold(int smp)
    {
        string detail = Passed(Run(smp), "exec-parsers");
        Assert.StartsWith("5 of 5 ", detail);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(1)]
    public void Summary_CountsEveryLine_NoneFailed(int smp)
    {
        var run = Run(smp);
        var lines = run.Lines.Where(l => Regex.IsMatch(l, @"^selftest [^:]+: (PASS|FAIL)")).ToList();
        Assert.NotEmpty(lines);
        var summary = run.Find(@"^selftest: (\d+) passed, (\d+) failed");
        Assert.True(summary != null, "no 'selftest: N passed, M failed' line");
        Assert.Equal(lines.Count, int.Parse(summary!.Groups[1].Value));
        Assert.Equal(0, int.Parse(summary.Groups[2].Value));
        Assert.DoesNotContain("KEVLAR PANIC", run.Log);
    }
}
