// ParallelExplore: one test's exploration split over worker processes, one per
// core. Coyote runs one operation at a time, so a process keeps one core busy
// at best; each worker is this program again (`explore --worker CORE ...`),
// pinned to its core (CorePinning), exploring its share of the iterations from
// its own seed, and printing its result as one JSON line. A bug found by one
// worker stops the others; its trace carries that worker's seed, so it replays
// like any other.
using System.Diagnostics;
using System.Text.Json;
using Kevlar.Coyote.Exploration;

namespace Kevlar.Explorer;

internal static class ParallelExplore
{
    private const string ResultPrefix = "#result ";

    /// <summary>The worker's side: pins itself to <paramref name="core"/>,
    /// explores, and prints the result for the parent.</summary>
    public static int Work(int core, ExplorationTest test, SeededBug? bug, ExploreOptions o)
    {
        CorePinning.PinTo(core);
        ExploreResult r = ExplorationRunner.Explore(test, bug, o);
        Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(r));
        return 0;
    }

    /// <summary>Explores <paramref name="test"/> in <paramref name="jobs"/>
    /// workers. Returns the first bug a worker found, with the options that
    /// worker ran (its seed), or all workers' figures combined.</summary>
    public static (ExploreResult Result, ExploreOptions Options) Run(ExplorationTest test, SeededBug? bug, ExploreOptions o, int jobs)
    {
        uint baseSeed = o.Seed ?? (uint)Random.Shared.Next(1, int.MaxValue / 2);
        var workers = new List<(System.Diagnostics.Process Process, ExploreOptions Options, Task<ExploreResult> Result)>();
        try
        {
            for (int j = 0; j < jobs; j++)
            {
                uint share = o.Iterations / (uint)jobs + (j < o.Iterations % jobs ? 1u : 0u);
                if (share == 0 && !o.Seconds.HasValue)
                {
                    continue;
                }
                ExploreOptions oj = o with { Iterations = share, Seed = baseSeed + (uint)j * ExplorationRunner.SeedStride };
                System.Diagnostics.Process p = Start(j % Environment.ProcessorCount, test, bug, oj);
                workers.Add((p, oj, ReadResult(p, j)));
            }
            var pending = workers.Select(w => w.Result).ToList();
            while (pending.Count > 0)
            {
                Task<ExploreResult> done = Task.WhenAny(pending).GetAwaiter().GetResult();
                pending.Remove(done);
                ExploreResult r = done.GetAwaiter().GetResult(); // a failed worker throws here
                if (r.BugFound)
                {
                    return (r, workers.First(w => w.Result == done).Options);
                }
            }
            return (Combine(test.Name, bug?.Name, workers.Select(w => w.Result.Result).ToList()), o);
        }
        finally
        {
            foreach (var w in workers)
            {
                if (!w.Process.HasExited)
                {
                    w.Process.Kill(entireProcessTree: true);
                }
                w.Process.WaitForExit();
                w.Process.Dispose();
            }
        }
    }

    private static System.Diagnostics.Process Start(int core, ExplorationTest test, SeededBug? bug, ExploreOptions o)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // `dotnet Kevlar.Explorer.dll` or the app host itself.
        string host = Environment.ProcessPath ?? "dotnet";
        psi.FileName = host;
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            psi.ArgumentList.Add(typeof(ParallelExplore).Assembly.Location);
        }
        foreach (string arg in WorkerArgs(core, test, bug, o))
        {
            psi.ArgumentList.Add(arg);
        }
        // One core each: the runtime's spinning waits then block at once, as they should with no
        // other core to spin for.
        psi.Environment["DOTNET_PROCESSOR_COUNT"] = "1";
        return System.Diagnostics.Process.Start(psi) ?? throw new InvalidOperationException("could not start an exploration worker");
    }

    private static IEnumerable<string> WorkerArgs(int core, ExplorationTest test, SeededBug? bug, ExploreOptions o)
    {
        yield return "explore";
        yield return "--worker";
        yield return core.ToString();
        yield return "--test";
        yield return test.Name;
        if (bug != null)
        {
            yield return "--bug";
            yield return bug.Name;
        }
        if (o.Seconds is int seconds)
        {
            yield return "--seconds";
            yield return seconds.ToString();
        }
        else
        {
            yield return "--iterations";
            yield return o.Iterations.ToString();
        }
        yield return "--strategy";
        yield return o.Strategy;
        yield return "--seed";
        yield return o.Seed!.Value.ToString();
        yield return "--batch";
        yield return o.RunsPerIteration.ToString();
        if (o.MaxSteps is uint maxSteps)
        {
            yield return "--max-steps";
            yield return maxSteps.ToString();
        }
        if (!o.Sparse)
        {
            yield return "--dense";
        }
        if (o.Coverage)
        {
            yield return "--coverage";
        }
    }

    private static async Task<ExploreResult> ReadResult(System.Diagnostics.Process p, int job)
    {
        Task<string> errors = p.StandardError.ReadToEndAsync();
        ExploreResult? result = null;
        while (await p.StandardOutput.ReadLineAsync() is string line)
        {
            if (line.StartsWith(ResultPrefix, StringComparison.Ordinal))
            {
                result = JsonSerializer.Deserialize<ExploreResult>(line[ResultPrefix.Length..]);
            }
        }
        string stderr = await errors;
        await p.WaitForExitAsync();
        return result ?? throw new InvalidOperationException("exploration worker " + job + " ended (status " + p.ExitCode
            + ") without a result" + (stderr.Length > 0 ? ":\n" + stderr.TrimEnd() : ""));
    }

    private static ExploreResult Combine(string test, string? bug, List<ExploreResult> rs)
    {
        Dictionary<string, long>? coverage = null;
        foreach (ExploreResult r in rs)
        {
            if (r.Coverage != null)
            {
                Coverage.Add(coverage ??= new(), r.Coverage);
            }
        }
        return new ExploreResult
        {
            Test = test,
            Bug = bug,
            Iterations = rs.Sum(r => r.Iterations),
            CoyoteIterations = rs.Sum(r => r.CoyoteIterations),
            // The workers ran side by side: the exploration took as long as the slowest.
            Seconds = rs.Max(r => r.Seconds),
            MaxStepsSeen = rs.Max(r => r.MaxStepsSeen),
            Points = rs.Sum(r => r.Points),
            PointsAsked = rs.Sum(r => r.PointsAsked),
            Switches = rs.Sum(r => r.Switches),
            Pauses = rs.Sum(r => r.Pauses),
            Dropped = rs.Sum(r => r.Dropped),
            Coverage = coverage,
            Jobs = rs.Count,
        };
    }
}
