// ExplorationRunner: runs one catalog test under Coyote's in-process
// TestingEngine (optionally with a seeded bug switched on), and replays saved
// traces. Runs are sequential: the runtime's hooks are process-wide.
using System.Diagnostics;
using Kevlar.Coyote.Harness;
using Kevlar.Runtime.Diagnostics;
using Microsoft.Coyote;
using Microsoft.Coyote.SystematicTesting;

namespace Kevlar.Coyote.Exploration;

public static class ExplorationRunner
{
    private static readonly object s_gate = new();

    public static ExploreResult Explore(ExplorationTest test, SeededBug? bug, ExploreOptions o)
    {
        uint maxSteps = o.MaxSteps ?? test.MaxSteps;
        Configuration config = Quiet(Configuration.Create())
            .WithTestingIterations(o.Iterations)
            .WithMaxSchedulingSteps(maxSteps, maxSteps);
        config = WithStrategy(config, o.Strategy);
        if (o.Seed.HasValue)
        {
            config = config.WithRandomGeneratorSeed(o.Seed.Value);
        }
        if (o.Seconds.HasValue)
        {
            config = config.WithTestingIterations(uint.MaxValue).WithTestingTimeout(o.Seconds.Value);
        }
        return Run(test, bug, config);
    }

    public static ExploreResult Replay(TraceFile trace)
    {
        ExplorationTest test = Catalog.FindTest(trace.Test)
            ?? throw new ArgumentException("unknown test in trace: " + trace.Test);
        SeededBug? bug = trace.Bug == null ? null : Catalog.FindBug(trace.Bug)
            ?? throw new ArgumentException("unknown bug in trace: " + trace.Bug);
        Configuration config = Quiet(Configuration.Create())
            .WithTestingIterations(1)
            .WithMaxSchedulingSteps(trace.MaxSteps == 0 ? test.MaxSteps : trace.MaxSteps, trace.MaxSteps == 0 ? test.MaxSteps : trace.MaxSteps)
            .WithReproducibleTrace(trace.CoyoteTrace);
        return Run(test, bug, config);
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
        CoyoteTrace = r.ReproducibleTrace ?? "",
    };

    // No telemetry (no network here) and no per-iteration console chatter.
    private static Configuration Quiet(Configuration c) => c
        .WithTelemetryEnabled(false)
        .WithVerbosityEnabled(Microsoft.Coyote.Logging.VerbosityLevel.None)
        .WithConsoleLoggingEnabled(false);

    private static Configuration WithStrategy(Configuration c, string strategy) => strategy.ToLowerInvariant() switch
    {
        "random" => c.WithRandomStrategy(),
        "pct" or "prioritization" => c.WithPrioritizationStrategy(false, 10),
        "fair-pct" or "fair-prioritization" => c.WithPrioritizationStrategy(true, 10),
        "probabilistic" => c.WithProbabilisticStrategy(3),
        "delay-bounding" => c.WithDelayBoundingStrategy(false, 10),
        "qlearning" => c.WithQLearningStrategy(),
        _ => throw new ArgumentException("unknown strategy: " + strategy),
    };

    private static ExploreResult Run(ExplorationTest test, SeededBug? bug, Configuration config)
    {
        lock (s_gate)
        {
            SeededBugs.Reset();
            bug?.Enable();
            Hooks.Install();
            try
            {
                var engine = TestingEngine.Create(config, test.Entry);
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
                }
                sw.Stop();
                TestReport report = engine.TestReport;
                bool found = report.NumOfFoundBugs > 0;
                return new ExploreResult
                {
                    Test = test.Name,
                    Bug = bug?.Name,
                    Iterations = report.NumOfExploredFairPaths + report.NumOfExploredUnfairPaths,
                    Seconds = sw.Elapsed.TotalSeconds,
                    MaxStepsSeen = Math.Max(report.MaxExploredFairSteps, report.MaxExploredUnfairSteps),
                    BugFound = found,
                    BugText = found ? string.Join("\n", report.BugReports) : null,
                    ReproducibleTrace = found ? engine.ReproducibleTrace : null,
                    ReadableTrace = found ? engine.ReadableTrace : null,
                };
            }
            finally
            {
                Hooks.Uninstall();
                SeededBugs.Reset();
            }
        }
    }
}
