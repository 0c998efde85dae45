// Catalog: every exploration test and every seeded bug, with the text the
// explorer must report for it and the iteration budget within which the
// bug-finding test expects it to be found (with the default strategy/seed).
using Kevlar.Coyote.Scenarios;
using Kevlar.Runtime.Diagnostics;
using Microsoft.Coyote.Actors;

namespace Kevlar.Coyote.Exploration;

public sealed record ExplorationTest(string Name, string Summary, Action<IActorRuntime> Entry, uint MaxSteps, uint CiIterations);

/// <summary>A seeded bug: Strategy is the one its budget is stated for (the
/// default when `explore --bug` gets no --strategy).</summary>
public sealed record SeededBug(string Name, string Test, string ExpectedText, uint Budget, string Strategy, Action Enable);

public static class Catalog
{
    public static readonly ExplorationTest[] Tests =
    {
        new("TestMailbox", "no loss, no duplicate, FIFO per pair under concurrent senders", MailboxScenario.Run, 1000, 3000),
        new("TestIdleWake", "no CPU halts while its mailbox holds a message", IdleWakeScenario.Run, 1000, 3000),
        new("TestMigration", "no duplicate, no reorder, no stale home across migrations", MigrationScenario.Run, 1000, 3000),
        new("TestSafepoint", "no handler runs during Collect; every CPU resumes", SafepointScenario.Run, 2000, 1500),
        new("TestWaitWakeup", "a parent asleep in wait4 wakes for a child exiting on another CPU", WaitWakeupScenario.Run, 1000, 200),
        new("TestSignalRacingExit", "kill racing exit_group: one death, one report, one of the two statuses", SignalRacingExitScenario.Run, 1000, 200),
    };

    public static readonly SeededBug[] Bugs =
    {
        new("MailboxLostEnqueue", "TestMailbox", "NoLoss", 2000, "random", static () => SeededBugs.MailboxLostEnqueue = true),
        new("SleepWithoutRecheck", "TestIdleWake", "NoSleepWithPendingMessage", 2000, "random", static () => SeededBugs.SleepWithoutRecheck = true),
        new("WakeBeforeEnqueue", "TestIdleWake", "NoSleepWithPendingMessage", 2000, "random", static () => SeededBugs.WakeBeforeEnqueue = true),
        new("TwoStepMigration", "TestMigration", "FifoPerPair", 2000, "random", static () => SeededBugs.TwoStepMigration = true),
        new("MigrateWithoutGrace", "TestMigration", "ForwardOnlyWhileMigrating", 2000, "pct", static () => SeededBugs.MigrateWithoutGrace = true),
        new("CollectBeforeAllParked", "TestSafepoint", "AllParkedBeforeCollect", 2000, "random", static () => SeededBugs.CollectBeforeAllParked = true),
        new("WaitWithoutRecheck", "TestWaitWakeup", "NoLostWakeup", 200, "random", static () => SeededBugs.WaitWithoutRecheck = true),
        new("ReportBeforeStatus", "TestSignalRacingExit", "WaitStatusOutcome", 100, "random", static () => SeededBugs.ReportBeforeStatus = true),
    };

    public static ExplorationTest? FindTest(string name)
    {
        foreach (var t in Tests)
        {
            if (string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return t;
            }
        }
        return null;
    }

    public static SeededBug? FindBug(string name)
    {
        foreach (var b in Bugs)
        {
            if (string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return b;
            }
        }
        return null;
    }
}
