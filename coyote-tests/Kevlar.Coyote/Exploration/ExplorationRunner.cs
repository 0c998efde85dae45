// ExplorationRunner: runs one catalog test under Coyote's in-process
// TestingEngine (optionally with a seeded bug switched on), and replays saved
// traces. Runs are sequential: the runtime's hooks are process-wide.
//
// An "iteration" of this project is one run of a scenario: one schedule, from
// an empty machine to quiescence, with every check. Each Coyote iteration
// performs RunsPerIteration such runs in turn, each in a fresh World on the
// same CPU threads, because Coyote's own per-iteration cost (a new runtime, a
// thread for the test and one for its deadlock watchdog) exceeds a run's.
// Step bounds and PCT's priority changes are scaled by the same factor, so
// each run gets the bound and the changes it had alone. A bug ends the Coyote
// iteration in the failing run; its trace replays the runs before it too.
using System.Diagnostics;
using Kevlar.Coyote.Harness;
using Kevlar.Runtime.Diagnostics;
using Microsoft.Coyote;
using Microsoft.Coyote.Actors;
using Microsoft.Coyote.SystematicTesting;

namespace Kevlar.Coyote.Exploration;

public static class ExplorationRunner
{
    public const uint DefaultRunsPerIteration = 32;

    /// <summary>Coyote seeds iteration i of an exploration with seed + i, so explorations from
    /// seeds 1, 2, 3... replay each other's schedules one iteration apart. Seeds this far apart
    /// share no iteration (an exploration is far shorter than the stride): the measure's seeds
    /// and the parallel workers' are spaced by it.</summary>
    public const uint SeedStride = 1_000_003;

    private static readonly object s_gate = new();
    private static long s_runsLeft;

    public static ExploreResult Explore(ExplorationTest test, SeededBug? bug, ExploreOptions o)
    {
        uint k = Batches(o.Strategy) ? Math.Max(1, o.RunsPerIteration) : 1;
        uint runSteps = o.MaxSteps ?? test.MaxSteps;
        uint coyoteIterations = (o.Iterations + k - 1) / k;
        Configuration config = Quiet(Configuration.Create())
            .WithTestingIterations(coyoteIterations);
        config = WithBounds(config, o.Strategy, runSteps, k);
        config = WithStrategy(config, o.Strategy, k);
        if (o.Seed.HasValue)
        {
            config = config.WithRandomGeneratorSeed(o.Seed.Value);
        }
        long runs = o.Iterations;
        if (o.Seconds.HasValue)
        {
            config = config.WithTestingIterations(uint.MaxValue).WithTestingTimeout(o.Seconds.Value);
            runs = long.MaxValue;
        }
        return Run(test, bug, config, k, k > 1 && o.Sparse ? test.PointsPerRun : 0, runs, Bound(o.Strategy, runSteps, k), o.Coverage);
    }

    // Random and PCT runs are batched; the others keep one run per Coyote
    // iteration, so Coyote's own step count (which fair-pct's unfair prefix,
    // delay-bounding's delays and the liveness temperature follow) is the run's.
    private static bool Batches(string strategy) => strategy.ToLowerInvariant() is "random" or "pct" or "prioritization";

    // The harness's own per-run bound where runs are batched: a random run
    // that reaches it with a liveness monitor hot is a liveness bug; a PCT run
    // is dropped (PCT starves a spinning CPU on purpose).
    private static (long Bound, bool Liveness) Bound(string strategy, uint runSteps, uint k) =>
        k > 1 ? (runSteps, strategy.ToLowerInvariant() == "random") : (0, false);

    // Coyote's step bounds. For fair-pct: PCT for the first runSteps steps, then
    // fair random scheduling up to ten times that, with a liveness temperature
    // threshold of half the fair bound (Coyote's defaults for that ratio). With
    // the unfair bound equal to the fair one, as before, fair-pct never left its
    // PCT phase while counting liveness temperature as if it were fair, and
    // PCT's deliberate starvation of a spinning CPU read as a liveness bug.
    private static Configuration WithBounds(Configuration c, string strategy, uint runSteps, uint k)
    {
        if (strategy.ToLowerInvariant() is "fair-pct" or "fair-prioritization")
        {
            return c.WithMaxSchedulingSteps(runSteps, 10 * runSteps);
        }
        uint steps = runSteps * k + (k > 1 ? 2 * runSteps : 0); // room for a sparse run's dense stretch (World.CheckBound)
        return c.WithMaxSchedulingSteps(steps, steps);
    }

    public static ExploreResult Replay(TraceFile trace)
    {
        ExplorationTest test = Catalog.FindTest(trace.Test)
            ?? throw new ArgumentException("unknown test in trace: " + trace.Test);
        SeededBug? bug = trace.Bug == null ? null : Catalog.FindBug(trace.Bug)
            ?? throw new ArgumentException("unknown bug in trace: " + trace.Bug);
        uint k = Math.Max(1, trace.RunsPerIteration);
        uint runSteps = trace.MaxSteps == 0 ? test.MaxSteps : trace.MaxSteps;
        Configuration config = WithBounds(Quiet(Configuration.Create()).WithTestingIterations(1), trace.Strategy, runSteps, k)
            .WithReproducibleTrace(trace.CoyoteTrace);
        uint sparse = k > 1 && trace.Sparse ? (trace.PointsPerRun != 0 ? trace.PointsPerRun : test.PointsPerRun) : 0;
        return Run(test, bug, config, k, sparse, k, Bound(trace.Strategy, runSteps, k));
    }

    /// <summary>A trace file for a result that found a bug.</summary>
    public static TraceFile ToTraceFile(ExploreResult r, ExploreOptions o, ExplorationTest test) => new()
    {
        Test = r.Test,
        Bug = r.Bug,
        BugText = r.BugText,
        Strategy = o.Strategy,
        Seed = o.Seed,
        MaxSteps = o.MaxSteps ?? test.MaxSteps,
        RunsPerIteration = Batches(o.Strategy) ? Math.Max(1, o.RunsPerIteration) : 1,
        Sparse = o.Sparse,
        PointsPerRun = test.PointsPerRun,
        CoyoteTrace = r.ReproducibleTrace ?? "",
    };

    // No telemetry (no network here) and no per-iteration console chatter.
    private static Configuration Quiet(Configuration c) => c
        .WithTelemetryEnabled(false)
        .WithVerbosityEnabled(Microsoft.Coyote.Logging.VerbosityLevel.None)
        .WithConsoleLoggingEnabled(false)
        .WithTraceAnalysisEnabled(false);

    private static Configuration WithStrategy(Configuration c, string strategy, uint k) => strategy.ToLowerInvariant() switch
    {
        "random" => c.WithRandomStrategy(),
        "pct" or "prioritization" => c.WithPrioritizationStrategy(false, 10 * k),
        "fair-pct" or "fair-prioritization" => c.WithPrioritizationStrategy(true, 10 * k),
        "probabilistic" => c.WithProbabilisticStrategy(3),
        "delay-bounding" => c.WithDelayBoundingStrategy(false, 10 * k),
        "qlearning" => c.WithQLearningStrategy(),
        _ => throw new ArgumentException("unknown strategy: " + strategy),
    };

    // One Coyote iteration: up to k runs of the scenario on the same CPUs.
    // sparse: 0 when every run offers every point, else the test's typical points per run.
    private static void Batch(Action<IActorRuntime> scenario, uint k, uint sparse, IActorRuntime runtime)
    {
        Hooks.OnIterationStarted();
        for (uint i = 0; i < k && s_runsLeft > 0; i++)
        {
            s_runsLeft--;
            RunStats.OnRunStarted();
            // A run's store-buffer drains follow its sparse draw (a Coyote choice, so traces replay),
            // or a fixed seed in dense runs, where they still differ with the schedule.
            int draw = sparse != 0 ? runtime.RandomInteger(int.MaxValue) : 0;
            if (sparse != 0)
            {
                Hooks.OnSparseRunStarted(draw, sparse);
            }
            StoreBuffers.Seed(draw);
            Coverage.OnRunStarted();
            scenario(runtime);
        }
        Machine.Finish();
    }

    private static ExploreResult Run(ExplorationTest test, SeededBug? bug, Configuration config, uint k, uint sparse, long runs, (long Bound, bool Liveness) bound,
        bool coverage = false)
    {
        lock (s_gate)
        {
            SeededBugs.Reset();
            bug?.Enable();
            Hooks.Install();
            Hooks.SkipUnchosen = k > 1;
            long points = Hooks.Points, asked = Hooks.Asked, switches = Hooks.Switches, pauses = Hooks.Pauses;
            RunStats.Reset();
            RunStats.Bound = bound.Bound;
            RunStats.BoundIsLiveness = bound.Liveness;
            s_runsLeft = runs;
            Dictionary<string, long>? hits = coverage ? new() : null;
            if (hits != null)
            {
                Coverage.Start(hits);
            }
            try
            {
                var engine = TestingEngine.Create(config, (IActorRuntime rt) => Batch(test.Entry, k, sparse, rt));
                engine.RegisterEndIterationCallBack(static _ => Machine.EndIteration());
                var sw = Stopwatch.StartNew();
                // Coyote prints progress lines to the console whatever the
                // verbosity; the caller prints its own summary.
                TextWriter stdout = Console.Out;
                Console.SetOut(TextWriter.Null);
                try
                {
                    engine.Run();
                }
                finally
                {
                    Console.SetOut(stdout);
                    Machine.EndIteration();
                }
                sw.Stop();
                TestReport report = engine.TestReport;
                bool found = report.NumOfFoundBugs > 0;
                return new ExploreResult
                {
                    Test = test.Name,
                    Bug = bug?.Name,
                    Iterations = RunStats.Started,
                    CoyoteIterations = report.NumOfExploredFairPaths + report.NumOfExploredUnfairPaths,
                    Seconds = sw.Elapsed.TotalSeconds,
                    MaxStepsSeen = RunStats.MaxPoints,
                    Points = Hooks.Points - points,
                    PointsAsked = Hooks.Asked - asked,
                    Switches = Hooks.Switches - switches,
                    Pauses = Hooks.Pauses - pauses,
                    Dropped = RunStats.Bounded,
                    BugFound = found,
                    BugText = found ? string.Join("\n", report.BugReports) : null,
                    ReproducibleTrace = found ? engine.ReproducibleTrace : null,
                    ReadableTrace = found ? engine.ReadableTrace : null,
                    Coverage = hits,
                };
            }
            finally
            {
                Coverage.Stop();
                Hooks.Uninstall();
                SeededBugs.Reset();
            }
        }
    }
}
