// ExploreCommand: `explore` — runs one test (or all, or the test of a seeded
// bug), prints iterations/s and bugs found, saves failing schedules.
using Kevlar.Coyote.Exploration;

namespace Kevlar.Explorer;

public static class ExploreCommand
{
    public static int Run(Args a)
    {
        a.Only("test", "iterations", "seconds", "strategy", "seed", "bug", "max-steps", "out", "list", "measure", "seeds", "batch", "dense", "coverage", "mutate", "mutant", "jobs", "worker");
        if (a.Positional.Count > 0)
        {
            throw new ArgumentException("unexpected argument " + a.Positional[0]);
        }
        if (a.Has("list"))
        {
            return List();
        }
        if (a.Has("measure"))
        {
            return MeasureCommand.Run(a);
        }
        if (a.Has("mutate"))
        {
            return MutateCommand.Run(a);
        }
        SeededBug? bug = null;
        if (a.Get("bug") is string bugName)
        {
            bug = Catalog.FindBug(bugName) ?? throw new ArgumentException("unknown bug: " + bugName + " (see explore --list)");
        }
        if (bug != null && Catalog.IsBlocked(bug))
        {
            Console.WriteLine("note: " + bug.Name + " is blocked by the open real bug " + bug.BlockedBy
                + ", which " + bug.Test + " finds first");
        }
        var tests = SelectTests(a.Get("test"), bug);
        var o = new ExploreOptions
        {
            // The bar correct code must pass (issue 9): 10,000 runs, a few seconds a test.
            Iterations = a.GetUInt("iterations") ?? 10_000,
            Seconds = a.GetUInt("seconds") is uint s ? (int)s : null,
            Strategy = a.Get("strategy") ?? bug?.Strategy ?? "random",
            Seed = a.GetUInt("seed"),
            MaxSteps = a.GetUInt("max-steps"),
            RunsPerIteration = a.GetUInt("batch") ?? ExplorationRunner.DefaultRunsPerIteration,
            Coverage = a.Has("coverage"),
            Sparse = !a.Has("dense"),
        };
        var coverage = new Dictionary<string, long>();
        if (a.Has("iterations") && a.Has("seconds"))
        {
            throw new ArgumentException("give --iterations or --seconds, not both");
        }
        if (a.GetUInt("worker") is uint core)
        {
            return ParallelExplore.Work((int)core, tests.Single(), bug, o);
        }
        int jobs = (int)Math.Clamp(a.GetUInt("jobs") ?? (uint)Environment.ProcessorCount, 1u, 64u);
        string outDir = a.Get("out") ?? Path.Combine(Path.GetTempPath(), "kevlar-explore", DateTime.Now.ToString("yyyyMMdd-HHmmss"));
        int bugs = 0;
        foreach (var t in tests)
        {
            Console.WriteLine("explore " + t.Name + (bug != null ? " with seeded bug " + bug.Name : "")
                + " strategy=" + o.Strategy + (o.Seed.HasValue ? " seed=" + o.Seed : "")
                + (o.Seconds.HasValue ? " seconds=" + o.Seconds : " iterations=" + o.Iterations) + (jobs > 1 ? " jobs=" + jobs : ""));
            var (r, ran) = jobs > 1 ? ParallelExplore.Run(t, bug, o, jobs) : (ExplorationRunner.Explore(t, bug, o), o);
            Console.WriteLine("  " + r.Iterations + " iterations in " + r.Seconds.ToString("F1") + " s ("
                + r.IterationsPerSecond.ToString("F0") + " iterations/s" + (r.Jobs > 1 ? " in " + r.Jobs + " processes" : "")
                + ", at most " + r.MaxStepsSeen + " steps, "
                + (r.Points > 0 ? 100 * r.PointsAsked / r.Points : 0) + "% of points offered to Coyote; per run "
                + PerRun(r.Points, r) + " points, " + PerRun(r.PointsAsked, r) + " offered, " + PerRun(r.Switches, r)
                + " switches, " + PerRun(r.Pauses, r) + " pauses" + (r.Dropped > 0 ? "; " + r.Dropped + " dropped at the bound" : "") + "), bugs found: " + (r.BugFound ? 1 : 0));
            if (r.Coverage != null)
            {
                Coverage.Add(coverage, r.Coverage);
            }
            if (r.BugFound)
            {
                bugs++;
                Console.WriteLine("  bug: " + FirstLine(r.BugText) + (jobs > 1 ? " (found by the worker with seed " + ran.Seed + ")" : ""));
                Directory.CreateDirectory(outDir);
                string stem = Path.Combine(outDir, t.Name + (bug != null ? "." + bug.Name : ""));
                ExplorationRunner.ToTraceFile(r, ran, t).Save(stem + ".trace.json");
                File.WriteAllText(stem + ".log", r.BugText + "\n\n" + r.ReadableTrace);
                Console.WriteLine("  trace: " + stem + ".trace.json");
            }
        }
        if (o.Coverage)
        {
            Console.WriteLine("coverage of the protocols' named states over these runs:");
            foreach (string line in Coverage.Report(coverage))
            {
                Console.WriteLine(line);
            }
        }
        Console.WriteLine("bugs found: " + bugs);
        if (bugs > 0)
        {
            Console.WriteLine("output: " + outDir);
        }
        return bugs > 0 ? 1 : 0;
    }

    private static long PerRun(long total, ExploreResult r) => r.Iterations > 0 ? total / r.Iterations : 0;

    private static int List()
    {
        foreach (var t in Catalog.Tests)
        {
            Console.WriteLine("test " + t.Name);
        }
        foreach (var b in Catalog.Bugs)
        {
            Console.WriteLine("bug " + b.Name + " test " + b.Test + (Catalog.IsBlocked(b) ? " (blocked by real bug " + b.BlockedBy + ")" : ""));
        }
        foreach (var r in Catalog.RealBugs)
        {
            Console.WriteLine("realbug " + r.Name + " test " + r.Test + ": " + r.Where);
        }
        return 0;
    }

    internal static List<ExplorationTest> SelectTests(string? name, SeededBug? bug)
    {
        if (name != null)
        {
            var t = Catalog.FindTest(name) ?? throw new ArgumentException("unknown test: " + name + " (see explore --list)");
            if (bug != null && !string.Equals(bug.Test, t.Name, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException("bug " + bug.Name + " belongs to " + bug.Test);
            }
            return new List<ExplorationTest> { t };
        }
        if (bug != null)
        {
            return new List<ExplorationTest> { Catalog.FindTest(bug.Test)! };
        }
        return new List<ExplorationTest>(Catalog.Tests);
    }

    internal static string FirstLine(string? s)
    {
        if (s == null)
        {
            return "";
        }
        int nl = s.IndexOf('\n');
        return nl < 0 ? s : s[..nl];
    }
}
