// RunStats: the settings and figures of the runs of one exploration — the
// step bound of a run and what reaching it means, how many scenario runs
// started and finished, how many hit the bound, and the most scheduling points
// one run took.
namespace Kevlar.Coyote.Harness;

public static class RunStats
{
    /// <summary>Scheduling points one run may take before the harness ends it
    /// (0: no bound of the harness's own; Coyote's bound applies).</summary>
    public static long Bound { get; set; }

    /// <summary>True when reaching the bound with a liveness monitor hot is a
    /// liveness bug (the strategy is fair), false when the run is just dropped
    /// (PCT may starve a spinning CPU on purpose).</summary>
    public static bool BoundIsLiveness { get; set; }

    public static long Bounded { get; private set; }

    public static long Started { get; private set; }

    public static long Finished { get; private set; }

    public static long MaxPoints { get; private set; }

    public static void Reset()
    {
        Started = 0;
        Finished = 0;
        MaxPoints = 0;
        Bounded = 0;
    }

    internal static void OnBounded() => Bounded++;

    internal static void OnRunStarted() => Started++;

    internal static void OnRunDone(long points)
    {
        Finished++;
        MaxPoints = Math.Max(MaxPoints, points);
    }
}
