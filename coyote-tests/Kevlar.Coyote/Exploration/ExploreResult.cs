// ExploreResult: what one exploration (or replay) found.
namespace Kevlar.Coyote.Exploration;

public sealed class ExploreResult
{
    public string Test { get; init; } = "";

    public string? Bug { get; init; }

    /// <summary>Scenario runs (schedules) explored, the failing one included.</summary>
    public long Iterations { get; init; }

    /// <summary>Coyote iterations (each a batch of runs).</summary>
    public long CoyoteIterations { get; init; }

    public double Seconds { get; init; }

    public bool BugFound { get; init; }

    /// <summary>Coyote's report of the first bug found.</summary>
    public string? BugText { get; init; }

    /// <summary>Coyote's reproducible trace (JSON) of the failing schedule.</summary>
    public string? ReproducibleTrace { get; init; }

    /// <summary>Coyote's readable log of the failing schedule.</summary>
    public string? ReadableTrace { get; init; }

    /// <summary>Most scheduling points one run took.</summary>
    public long MaxStepsSeen { get; init; }

    /// <summary>Scheduling points taken, all runs together.</summary>
    public long Points { get; init; }

    /// <summary>Of those, the points offered to Coyote (the others had no
    /// choice, or a sparse run did not offer them).</summary>
    public long PointsAsked { get; init; }

    /// <summary>Of those, the points where Coyote ran another operation first (a switch).</summary>
    public long Switches { get; init; }

    /// <summary>Runs that reached their bound unjudged (PCT; a random run there is a liveness bug).</summary>
    public long Dropped { get; init; }

    /// <summary>Operations paused on a condition (halts, spins giving way, the driver's waits).</summary>
    public long Pauses { get; init; }

    /// <summary>Protocol states reached ("protocol.state" to count), when asked for.</summary>
    public Dictionary<string, long>? Coverage { get; init; }

    /// <summary>Worker processes that explored side by side (Kevlar.Explorer's --jobs).</summary>
    public int Jobs { get; init; } = 1;

    public double IterationsPerSecond => Seconds > 0 ? Iterations / Seconds : 0;
}
