// Kevlar.Explorer: `explore` runs Coyote exploration of the runtime's
// protocols, `explore --list` lists tests and seeded bugs, `explore --measure`
// measures iterations/s and iterations-to-bug over seeds, `replay TRACE`
// reruns a saved failing schedule in one iteration.
namespace Kevlar.Explorer;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            return Usage(Console.Error, 2);
        }
        if (Array.IndexOf(args, "--help") >= 0 || Array.IndexOf(args, "-h") >= 0 || args[0] == "help")
        {
            return Usage(Console.Out, 0); // asked for: the usage on stdout, success
        }
        var rest = args[1..];
        try
        {
            return args[0] switch
            {
                "explore" => ExploreCommand.Run(Args.Parse(rest)),
                "replay" => ReplayCommand.Run(Args.Parse(rest)),
                _ => Usage(Console.Error, 2),
            };
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 3;
        }
    }

    private static int Usage(TextWriter to, int status)
    {
        to.WriteLine("""
            usage:
              explore [--test NAME] [--iterations N | --seconds T] [--strategy S] [--seed S]
                      [--bug NAME] [--max-steps N] [--batch N] [--dense] [--coverage] [--jobs N] [--out DIR]
              explore --list
              explore --measure [--seeds N] [--iterations N] [--strategy S] [--test NAME] [--bug NAME] [--dense]
              explore --mutate [--iterations N] [--mutant NAME]
              replay TRACE
              explore --help
            options:
              --test NAME        one test (explore --list names them); default: every test
              --iterations N     schedules to try per test (default 10000); --seconds T: for T seconds
              --strategy S       how the explorer picks the next CPU (below)
              --seed S           the random seed, for a reproducible run
              --bug NAME         enable a seeded bug (from the catalogue) and expect its test to find it
              --max-steps N      scheduling points one run may take before it counts as a livelock
              --batch N          scenario runs per Coyote iteration (random, pct; default 32)
              --dense            every run offers Coyote every scheduling point (by default each
                                 random or pct run draws how many it offers: 256 down to 8 in a run
                                 of the test's typical length)
              --coverage         list, per protocol, the named states and transitions reached
              --jobs N           explore in N processes side by side, one per core, each from its own
                                 seed (default: one per core; a bug found by one stops the others)
              --out DIR          where failing traces and readable logs are written
              --list             the tests and seeded bugs
              --measure          iterations/s and iterations-to-bug over --seeds N seeds
              --mutate           apply each concurrency mutant to a copy of the runtime, explore the
                                 runtime tests (N random, N/2 PCT; default 500) and print the kill rate
            strategies: random (default), pct, fair-pct, probabilistic, delay-bounding, qlearning
            exit status: 0 no bug found, 1 bug found, 2 usage error, 3 an exploration process failed
            """);
        return status;
    }
}
