// ReplayCommand: `replay TRACE` — reruns a saved failing schedule in one
// iteration and reports whether the same bug shows up again.
using Kevlar.Coyote.Exploration;

namespace Kevlar.Explorer;

public static class ReplayCommand
{
    public static int Run(Args a)
    {
        a.Only();
        if (a.Positional.Count != 1)
        {
            throw new ArgumentException("replay needs exactly one trace file");
        }
        string path = a.Positional[0];
        TraceFile trace = TraceFile.Load(path);
        Console.WriteLine("replay " + path + ": test " + trace.Test + (trace.Bug != null ? " with seeded bug " + trace.Bug : ""));
        ExploreResult r = ExplorationRunner.Replay(trace);
        Console.WriteLine("  " + r.Iterations + " iteration in " + r.Seconds.ToString("F2") + " s, bugs found: " + (r.BugFound ? 1 : 0));
        if (r.BugFound)
        {
            Console.WriteLine("  bug: " + ExploreCommand.FirstLine(r.BugText));
            bool same = trace.BugText != null && ExploreCommand.FirstLine(r.BugText) == ExploreCommand.FirstLine(trace.BugText);
            Console.WriteLine("  " + (same ? "reproduced the recorded bug" : "recorded: " + ExploreCommand.FirstLine(trace.BugText)));
        }
        return r.BugFound ? 1 : 0;
    }
}
