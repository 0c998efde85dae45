// Invariants: the checks run when a world is quiescent. Each message starts
// with the invariant's name, as the runtime's Kassert texts do.
using Kevlar.Coyote.Harness;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Specs;

public static class Invariants
{
    public static void CheckQuiescent(World w)
    {
        // First: a CPU left parked also leaves its mail undelivered, and this is the cause.
        for (int c = 0; c < w.CpuCount; c++)
        {
            Specification.Assert(!w.Scheduler.Safepoint.IsParked(c),
                "AllCpusResume: the system went quiescent with a CPU that never came back from the safepoint (lost release wakeup)");
        }
        for (int c = 0; c < w.CpuCount; c++)
        {
            Specification.Assert(w.Scheduler.MailboxEmpty(c),
                "NoSleepWithPendingMessage: every CPU halted while a mailbox still holds a message (lost wakeup)");
        }
        Specification.Assert(w.Ledger.AllDelivered(),
            "NoLoss: the system went quiescent with sent messages never delivered");
        Specification.Assert(!w.Scheduler.Safepoint.IsPending,
            "AllCpusResume: the system went quiescent with a collection still pending");
    }
}
