// MeasureCommand: `explore --measure` — iterations/s of each test with no bug,
// and iterations to find each seeded bug over seeds 1..N (median and max, and
// the mean seconds an exploration took),
// printed as Markdown tables for coyote-tests/README.md.
using Kevlar.Coyote.Exploration;

namespace Kevlar.Explorer;

public static class MeasureCommand
{
    public static int Run(Args a)
    {
        uint seeds = a.GetUInt("seeds") ?? 10;
        uint iterations = a.GetUInt("iterations") ?? 300;
        string? strategyOption = a.Get("strategy");
        string strategy = strategyOption ?? "random";
        string? onlyTest = a.Get("test");
        string? onlyBug = a.Get("bug");
        bool sparse = !a.Has("dense");

        if (onlyBug == null)
        {
            Console.WriteLine("| test | iterations | seconds | iterations/s | bugs |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
            foreach (var t in Catalog.Tests)
            {
                if (onlyTest != null && !t.Name.Equals(onlyTest, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }
                var r = ExplorationRunner.Explore(t, null, new ExploreOptions { Iterations = iterations, Strategy = strategy, Seed = 1, Sparse = sparse });
                Console.WriteLine("| " + t.Name + " | " + r.Iterations + " | " + r.Seconds.ToString("F1") + " | "
                    + r.IterationsPerSecond.ToString("F0") + " | " + (r.BugFound ? 1 : 0) + " |");
            }
            Console.WriteLine();
        }

        Console.WriteLine("| seeded bug | test | strategy | found | median | max | seconds | expected text |");
        Console.WriteLine("| --- | --- | --- | ---: | ---: | ---: | ---: | --- |");
        foreach (var b in Catalog.Bugs)
        {
            if ((onlyBug != null && !b.Name.Equals(onlyBug, StringComparison.OrdinalIgnoreCase))
                || (onlyTest != null && !b.Test.Equals(onlyTest, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }
            if (Catalog.IsBlocked(b))
            {
                Console.WriteLine("| " + b.Name + " | " + b.Test + " | " + (strategyOption ?? b.Strategy) + " | blocked by " + b.BlockedBy + " | | | | `" + b.ExpectedText + "` |");
                continue;
            }
            var test = Catalog.FindTest(b.Test)!;
            var counts = new List<long>();
            int found = 0;
            double seconds = 0;
            for (uint seed = 1; seed <= seeds; seed++)
            {
                var r = ExplorationRunner.Explore(test, b, new ExploreOptions { Iterations = b.Budget * 5, Strategy = strategyOption ?? b.Strategy, Seed = seed * ExplorationRunner.SeedStride, Sparse = sparse });
                seconds += r.Seconds;
                bool ok = r.BugFound && b.Reports(r.BugText);
                if (ok)
                {
                    found++;
                }
                counts.Add(ok ? r.Iterations : long.MaxValue);
            }
            counts.Sort();
            string median = Show(counts[(counts.Count - 1) / 2]);
            string max = Show(counts[^1]);
            Console.WriteLine("| " + b.Name + " | " + b.Test + " | " + (strategyOption ?? b.Strategy) + " | " + found + "/" + seeds + " | " + median + " | " + max + " | " + (seconds / seeds).ToString("F2") + " | `" + b.ExpectedText + "` |");
        }
        return 0;
    }

    private static string Show(long n) => n == long.MaxValue ? "not found" : n.ToString();
}
