// Coverage: which named states and transitions of each runtime protocol an
// exploration reached (./kevlar explore --coverage). The runtime names them
// through ProtocolCoverage.Reached; a few are qualified here with what only
// the harness sees (where a request came from, whether every CPU was halted,
// whether a migration was in flight). A protocol's list below is every state
// its code distinguishes, so one never reached shows as a gap.
using Kevlar.Coyote.Harness;

namespace Kevlar.Coyote.Exploration;

public static class Coverage
{
    public static readonly (string Protocol, string[] States)[] Protocols =
    {
        ("mailbox", new[]
        {
            "enqueue-into-empty", "enqueue-behind-message", "dequeue-empty", "dequeue-first-link-pending",
            "dequeue-one-of-many", "dequeue-last", "dequeue-last-link-pending", "dequeue-last-raced-producer",
            "send-from-outside-cpu",
        }),
        ("idle", new[]
        {
            "recheck-found-work", "halt", "halt-with-ipi-pending", "kick-awake", "kick-lost-race", "kick-wakes",
        }),
        ("migration", new[]
        {
            "start", "start-right-after-handover", "refused-in-progress", "refused-same-cpu", "grace-waits", "grace-elapsed",
            "forward-stale", "hold-direct", "deliver-forwarded-while-holding", "handover-releases-held", "handover-nothing-held",
        }),
        ("safepoint", new[]
        {
            "request", "request-during-round", "request-from-handler", "request-from-outside-cpu", "request-while-all-cpus-halted",
            "request-while-migration-in-flight", "election-won", "election-lost", "park", "parked-halt", "parked-recheck-released", "collector-waits", "collect", "resume",
            "wait-in-handler", "wait-in-handler-polls-again",
        }),
    };

    private static Dictionary<string, long>? s_hits;
    private static int s_migrationsInFlight;
    private static bool s_lastWasHandover;

    /// <summary>Starts counting (ExplorationRunner, before a run of the engine).</summary>
    internal static void Start(Dictionary<string, long> into)
    {
        s_hits = into;
        Kevlar.Runtime.Diagnostics.ProtocolCoverage.Handler = Reached;
    }

    internal static void Stop()
    {
        s_hits = null;
        Kevlar.Runtime.Diagnostics.ProtocolCoverage.Handler = null;
    }

    /// <summary>A new run starts: per-run qualifiers reset.</summary>
    internal static void OnRunStarted()
    {
        s_migrationsInFlight = 0;
        s_lastWasHandover = false;
    }

    internal static void Hit(string state)
    {
        if (s_hits != null)
        {
            s_hits[state] = s_hits.GetValueOrDefault(state) + 1;
        }
    }

    private static void Reached(string state)
    {
        Hit(state);
        switch (state)
        {
            case "migration.start":
                if (s_lastWasHandover)
                {
                    Hit("migration.start-right-after-handover");
                }
                s_migrationsInFlight++;
                break;
            case "migration.handover-releases-held":
            case "migration.handover-nothing-held":
                s_migrationsInFlight--;
                break;
            case "safepoint.request":
            case "safepoint.request-during-round":
                Qualify();
                break;
        }
        s_lastWasHandover = state.StartsWith("migration.handover", StringComparison.Ordinal);
    }

    // What the harness knows about a collection request.
    private static void Qualify()
    {
        World? w = World.Current;
        if (w == null)
        {
            return;
        }
        Hit(w.Platform.CurrentCpu < 0 ? "safepoint.request-from-outside-cpu" : "safepoint.request-from-handler");
        if (s_migrationsInFlight > 0)
        {
            Hit("safepoint.request-while-migration-in-flight");
        }
        if (w.AllHalted())
        {
            Hit("safepoint.request-while-all-cpus-halted");
        }
    }

    /// <summary>The report: per protocol, each state with its count, unreached ones marked.</summary>
    /// <summary>Adds the counts of <paramref name="hits"/> into <paramref name="into"/>.</summary>
    public static void Add(Dictionary<string, long> into, IReadOnlyDictionary<string, long> hits)
    {
        foreach (var (state, n) in hits)
        {
            into[state] = into.GetValueOrDefault(state) + n;
        }
    }

    public static IEnumerable<string> Report(IReadOnlyDictionary<string, long> hits)
    {
        foreach (var (protocol, states) in Protocols)
        {
            int reached = states.Count(s => hits.GetValueOrDefault(protocol + "." + s) > 0);
            yield return protocol + ": " + reached + "/" + states.Length + " states reached";
            foreach (string s in states)
            {
                long n = hits.GetValueOrDefault(protocol + "." + s);
                yield return "  " + (n > 0 ? "reached  " : "UNREACHED") + " " + s + (n > 0 ? " (" + n + ")" : "");
            }
        }
        foreach (string extra in hits.Keys.Where(k => !Protocols.Any(p => States(p).Contains(k))).OrderBy(k => k, StringComparer.Ordinal))
        {
            yield return "  (not in the catalogue) " + extra + " (" + hits[extra] + ")";
        }
    }

    private static IEnumerable<string> States((string Protocol, string[] States) p) => p.States.Select(s => p.Protocol + "." + s);
}
