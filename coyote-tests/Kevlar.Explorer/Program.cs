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
            return Usage();
        }
        var rest = args[1..];
        try
        {
            return args[0] switch
            {
                "explore" => ExploreCommand.Run(Args.Parse(rest)),
                "replay" => ReplayCommand.Run(Args.Parse(rest)),
                _ => Usage(),
            };
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("""
            usage:
              explore [--test NAME] [--iterations N | --seconds T] [--strategy S] [--seed S]
                      [--bug NAME] [--max-steps N] [--out DIR]
              explore --list
              explore --measure [--seeds N] [--iterations N] [--strategy S] [--test NAME] [--bug NAME]
              replay TRACE
            strategies: random (default), pct, fair-pct, probabilistic, delay-bounding, qlearning
            exit status: 0 no bug found, 1 bug found, 2 usage error
            """);
        return 2;
    }
}
