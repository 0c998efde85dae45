// The collector checked while real work runs (kevlar.gc=verify: eight times the
// collections, freed cells poisoned, every finished mark proven closed by
// GcHeap.Verify). A reference store the write barrier does not see — a raw
// write, a new corlib path that moves references — panics with the holder and
// the unmarked target instead of freeing a reachable object some day. Two
// workloads: every self-test on 4 CPUs (actors, awaits, graphs, storms), and
// the fork/thread and file/pipe storms in user space (processes, VFS, pipes).
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.QemuTests;

public class VerifiedCollectorTests(ITestOutputHelper output)
{
    private const int TimeoutSeconds = 600;

    [Fact]
    public void SelfTests_CheckedMarks_AllPass()
    {
        var run = QemuBoot.Cached(4, "kevlar.test=all kevlar.gc=verify", TimeoutSeconds);
        output.WriteLine(run.Describe());
        Assert.DoesNotContain(run.Lines, l => l.StartsWith("gc: unmarked object"));
        Assert.True(run.ExitCode == QemuRun.Pass, $"exit status {run.ExitCode}, expected 0 (pass)");
        Assert.NotNull(run.Find(@"^selftest: \d+ passed, 0 failed$"));
    }

    [Theory]
    [InlineData("/storm", new[] { "--figures", "2000", "500" })]
    [InlineData("/fsstorm", new[] { "--figures", "20000", "2000" })]
    public void UserStorms_CheckedMarks_Pass(string program, string[] args)
    {
        UserRun.EnsureProgramsBuilt();
        var r = UserRun.Kernel([UserRun.ProgramDir], program, args, TimeoutSeconds, "--append", "kevlar.gc=verify", "--kernel-stats");
        output.WriteLine(r.Describe());
        Assert.Null(UserRun.Unfinished(r));
        Assert.DoesNotContain(r.Lines, l => l.StartsWith("gc: unmarked object"));
        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain(r.Lines, l => l.StartsWith("FAIL"));
        var collections = r.Lines.Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^kernel: collections (\d+)$"))
            .FirstOrDefault(m => m.Success);
        Assert.True(collections != null && long.Parse(collections.Groups[1].Value) > 0, "no collection ran, so no mark was checked");
    }
}
