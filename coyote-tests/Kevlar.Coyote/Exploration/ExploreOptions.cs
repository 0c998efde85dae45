// ExploreOptions: one exploration run's settings.
namespace Kevlar.Coyote.Exploration;

public sealed record ExploreOptions
{
    public uint Iterations { get; set; } = 1000;

    /// <summary>When set, run until this many seconds pass (Iterations is then a cap).</summary>
    public int? Seconds { get; set; }

    /// <summary>random, pct, fair-pct, probabilistic, delay-bounding, qlearning.</summary>
    public string Strategy { get; set; } = "random";

    public uint? Seed { get; set; }

    /// <summary>Overrides the test's scheduling-step bound (per run).</summary>
    public uint? MaxSteps { get; set; }

    /// <summary>Counts the protocols' named states into ExploreResult.Coverage.</summary>
    public bool Coverage { get; set; }

    /// <summary>Batched runs (random, pct) draw how densely they offer points to
    /// Coyote (Hooks); false: every run offers every point.</summary>
    public bool Sparse { get; set; } = true;

    /// <summary>Scenario runs per Coyote iteration (see ExplorationRunner).</summary>
    public uint RunsPerIteration { get; set; } = ExplorationRunner.DefaultRunsPerIteration;
}
