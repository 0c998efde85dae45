// Storms on the kernel (not compared with Linux: the figures are the
// kernel's own): 10,000 fork+exit+wait cycles and 1,000 thread create/join
// cycles must leave the free page count where it was after the warm-up, and
// the heap live at the end no larger than after a run of a tenth of the
// forks (the kernel's last figure comes from a whole stop-the-world collection
// at power-off, so it is exact: no garbage a concurrent mark let float). The program is qemu/user/process/storm.c; the kernel's
// figures come from ./kevlar run --kernel-stats. The same for 100,000 file
// create/write/unlink cycles and 10,000 pipes (qemu/user/robustness/fsstorm.c),
// and for 1,200 children killed in waits with deadlines years away
// (qemu/user/robustness/killwaits.c: a wait's timer and its waiter once held
// each dead process, 7 KiB apiece, until the deadline).
using System;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.QemuTests;

public class StormTests(ITestOutputHelper output)
{
    private const int TimeoutSeconds = 600;

    [Fact]
    public void ForkAndThreadStorms_TenThousandCycles_NoPagesOrHeapLeak()
    {
        UserRun.EnsureProgramsBuilt();
        var small = Run(1000);
        var large = Run(10000);
        Assert.Equal(Figure(large, "figure free-kib-before"), Figure(large, "figure free-kib-after"));
        long liveSmall = Figure(small, "kernel: heap-live-kib-after-last-collection");
        long liveLarge = Figure(large, "kernel: heap-live-kib-after-last-collection");
        Assert.True(liveLarge <= liveSmall + 256, $"heap live after the last collection grew from {liveSmall} KiB (1,000 forks) to {liveLarge} KiB (10,000)");
    }

    // qemu/user/robustness/fsstorm.c: files created, written and deleted in /tmp, pipes opened,
    // used and closed. Free pages must come back exactly; the heap live after the last collection
    // may not grow with ten times the cycles (tmpfs inodes, the VfsActor's maps, pipe actors).
    [Fact]
    public void FileAndPipeStorms_HundredThousandFiles_NoPagesOrHeapLeak()
    {
        UserRun.EnsureProgramsBuilt();
        var small = RunFiles(10000, 1000);
        var large = RunFiles(100000, 10000);
        Assert.Equal(Figure(large, "figure free-kib-before"), Figure(large, "figure free-kib-after"));
        Assert.Equal(Figure(small, "kernel: free-pages"), Figure(large, "kernel: free-pages"));
        long liveSmall = Figure(small, "kernel: heap-live-kib-after-last-collection");
        long liveLarge = Figure(large, "kernel: heap-live-kib-after-last-collection");
        Assert.True(liveLarge <= liveSmall + 256, $"heap live after the last collection grew from {liveSmall} KiB (10,000 files) to {liveLarge} KiB (100,000)");
    }

    [Fact]
    public void ChildrenKilledInWaits_TwelveHundred_NoHeapLeak()
    {
        UserRun.EnsureProgramsBuilt();
        var small = RunKilledWaits(120);
        var large = RunKilledWaits(1200);
        long liveSmall = Figure(small, "kernel: heap-live-kib-after-last-collection");
        long liveLarge = Figure(large, "kernel: heap-live-kib-after-last-collection");
        Assert.True(liveLarge <= liveSmall + 256, $"heap live after the last collection grew from {liveSmall} KiB (120 children killed in waits) to {liveLarge} KiB (1,200)");
    }

    private UserRunResult RunKilledWaits(int children)
    {
        var r = UserRun.Kernel([UserRun.ProgramDir], "/killwaits", [children.ToString()], TimeoutSeconds, "--kernel-stats");
        output.WriteLine(r.Describe());
        Assert.Null(UserRun.Unfinished(r));
        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain(r.Lines, l => l.StartsWith("FAIL"));
        return r;
    }

    private UserRunResult RunFiles(int files, int pipes)
    {
        var r = UserRun.Kernel([UserRun.ProgramDir], "/fsstorm", ["--figures", files.ToString(), pipes.ToString()], TimeoutSeconds, "--kernel-stats");
        output.WriteLine(r.Describe());
        Assert.Null(UserRun.Unfinished(r));
        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain(r.Lines, l => l.StartsWith("FAIL"));
        return r;
    }

    private UserRunResult Run(int forks)
    {
        var r = UserRun.Kernel([UserRun.ProgramDir], "/storm", ["--figures", forks.ToString(), "1000"], TimeoutSeconds, "--kernel-stats");
        output.WriteLine(r.Describe());
        Assert.Null(UserRun.Unfinished(r));
        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain(r.Lines, l => l.StartsWith("FAIL"));
        return r;
    }

    private static long Figure(UserRunResult r, string name)
    {
        string? line = r.Lines.FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        Assert.True(line != null, $"no '{name}' line in the output");
        return long.Parse(line!.Substring(name.Length + 1).Trim());
    }
}
