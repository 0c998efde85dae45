// Replays every failing schedule kept under coyote-tests/traces: each must
// reproduce its recorded bug in one iteration.
using Kevlar.Coyote.Exploration;
using Xunit;

namespace Kevlar.CoyoteTests;

public class TraceReplayTests
{
    private static string TraceDir => Path.Combine(AppContext.BaseDirectory, "traces");

    public static IEnumerable<object[]> Traces()
    {
        foreach (string f in Directory.GetFiles(TraceDir, "*.trace.json").OrderBy(f => f, StringComparer.Ordinal))
        {
            yield return new object[] { Path.GetFileName(f) };
        }
    }

    [Theory]
    [MemberData(nameof(Traces))]
    public void Replay_KeptTrace_ReproducesRecordedBug(string file)
    {
        TraceFile trace = TraceFile.Load(Path.Combine(TraceDir, file));
        ExploreResult r = ExplorationRunner.Replay(trace);
        Assert.Equal(1, r.CoyoteIterations);
        Assert.True(r.BugFound, file + " did not reproduce");
        Assert.Equal(FirstLine(trace.BugText), FirstLine(r.BugText));
    }

    [Fact]
    public void Traces_EverySeededBug_HasAKeptTrace()
    {
        var names = Traces().Select(t => (string)t[0]).ToList();
        foreach (var b in Catalog.Bugs.Where(b => !Catalog.IsBlocked(b)))
        {
            Assert.Contains(names, n => n.EndsWith("." + b.Name + ".trace.json", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Traces_EveryOpenRealBug_HasAKeptTraceThatShowsIt()
    {
        foreach (var b in Catalog.RealBugs)
        {
            string file = b.Test + "." + b.Name + ".trace.json";
            Assert.True(File.Exists(Path.Combine(TraceDir, file)), "no kept trace " + file);
            TraceFile trace = TraceFile.Load(Path.Combine(TraceDir, file));
            Assert.Null(trace.Bug);
            Assert.True(b.Reports(trace.BugText), trace.BugText);
        }
    }

    private static string FirstLine(string? s) => s == null ? "" : s.Split('\n')[0];
}
