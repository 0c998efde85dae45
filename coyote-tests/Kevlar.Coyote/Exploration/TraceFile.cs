// TraceFile: a failing schedule saved by the explorer — which test, which
// seeded bug was switched on, what was reported, and Coyote's reproducible
// trace — so `replay` can run it again in one iteration.
using System.Text.Json;

namespace Kevlar.Coyote.Exploration;

public sealed class TraceFile
{
    public string Test { get; set; } = "";

    public string? Bug { get; set; }

    public string? BugText { get; set; }

    public string Strategy { get; set; } = "";

    public uint? Seed { get; set; }

    public uint MaxSteps { get; set; }

    /// <summary>Scenario runs per Coyote iteration when the trace was recorded.</summary>
    public uint RunsPerIteration { get; set; } = 1;

    /// <summary>Whether the runs drew their density of offered points (ExploreOptions.Sparse).</summary>
    public bool Sparse { get; set; }

    /// <summary>The test's typical points per run when the trace was recorded: sparse runs
    /// scale their density to it (0 in a trace older than that: the test's own).</summary>
    public uint PointsPerRun { get; set; }

    public string CoyoteTrace { get; set; } = "";

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, s_json));

    public static TraceFile Load(string path) =>
        JsonSerializer.Deserialize<TraceFile>(File.ReadAllText(path), s_json)
        ?? throw new InvalidDataException("empty trace file: " + path);
}
