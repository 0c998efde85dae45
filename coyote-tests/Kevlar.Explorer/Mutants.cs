// Mutants: hand-written concurrency bugs applied to the runtime's source by
// `explore --mutate` — the kind an outside reviewer writes to test the tests:
// split an atomic into a load and a store, skip a re-check, reorder two
// publications, drop a fence. They are source edits of a copy, never
// SeededBugs switches: the tests must find them without being told where.
// Each names the file, the exact text it replaces (which must occur once),
// the replacement, and the class of mutation. A mutant shown to change no
// behaviour the kernel can observe names why (Equivalent): it is listed, not
// run, and not counted in the kill rate.
namespace Kevlar.Explorer;

public sealed record Mutant(string Name, string Kind, string File, string Original, string Replacement, string What, string? Equivalent = null);

public static class Mutants
{
    private const string Sched = "runtime/Kevlar.Runtime/Scheduling/";

    public static readonly Mutant[] All =
    {
        new("TailExchangeSplit", "split atomic", Sched + "MailboxQueue.cs",
            "prev = Atomic.Exchange(ref _tail, m);",
            "prev = Atomic.Load(ref _tail);\n            Atomic.Store(ref _tail, m);",
            "the enqueue's tail exchange as a load then a store"),
        new("DequeueIgnoresPendingLink", "skip re-check", Sched + "MailboxQueue.cs",
            "if (head != Atomic.Load(ref _tail))",
            "if (false)",
            "the consumer re-enqueues the stub without checking for a producer between exchange and link"),
        new("IsEmptyIgnoresTail", "skip re-check", Sched + "MailboxQueue.cs",
            "public bool IsEmpty => _head == _stub && Atomic.Load(ref _tail) == _stub;",
            "public bool IsEmpty => _head == _stub && Atomic.Load(ref _stub.Next) == null;",
            "IsEmpty looks at the stub's link, not the tail: a half-published message reads as empty",
            Equivalent: "IsEmpty's one kernel use is the idle re-check; a CPU that halts on a half-published message is woken by "
                + "its producer, whose Kick comes after the link and sees the sleep flag announced before the re-check"),
        new("LinkBeforeClear", "reorder publications", Sched + "MailboxQueue.cs",
            "        Atomic.Store(ref m.Next, null);\n        Message prev;",
            "        Message prev;",
            "a message's link is not cleared before it is published (it was cleared on dequeue)"),
        new("SleepRecheckSkipsMailbox", "skip re-check", Sched + "Scheduler.Idle.cs",
            "(!c.Mailbox.IsEmpty || _safepoint.IsPending)",
            "(_safepoint.IsPending)",
            "after announcing sleep the CPU re-checks only the safepoint, not its mailbox"),
        new("SleepRecheckSkipsSafepoint", "skip re-check", Sched + "Scheduler.Idle.cs",
            "(!c.Mailbox.IsEmpty || _safepoint.IsPending)",
            "(!c.Mailbox.IsEmpty)",
            "after announcing sleep the CPU re-checks only its mailbox, not a pending collection"),
        new("SleepFlagPlainStore", "drop fence", Sched + "Scheduler.Idle.cs",
            "Atomic.Exchange(ref c.Sleeping, IdleSleep);",
            "Atomic.Store(ref c.Sleeping, IdleSleep);",
            "the sleep announcement is a plain release store, not a full fence"),
        new("ParkedSleepPlainStore", "drop fence", Sched + "Scheduler.Idle.cs",
            "Atomic.Exchange(ref c.Sleeping, ParkedSleep);",
            "Atomic.Store(ref c.Sleeping, ParkedSleep);",
            "a parked CPU announces its sleep with a plain store before it re-reads the generation"),
        new("RequestPlainStore", "drop fence", Sched + "SafepointCoordinator.cs",
            "Atomic.Exchange(ref _requested, 1);",
            "Atomic.Store(ref _requested, 1);",
            "a collection request is a plain store before the requester reads the CPUs' sleep flags"),
        new("KickCasSplit", "split atomic", Sched + "Scheduler.Idle.cs",
            "if (Atomic.CompareExchange(ref c.Sleeping, 0, sleeping) != sleeping)",
            "int was = Atomic.Load(ref c.Sleeping);\n        Atomic.Store(ref c.Sleeping, 0);\n        if (was != sleeping)",
            "the waker claims the sleep flag with a load and a store"),
        new("KickBeforeEnqueue", "reorder publications", Sched + "Scheduler.cs",
            "        c.Mailbox.Enqueue(m);\n        Kick(cpu);",
            "        Kick(cpu);\n        c.Mailbox.Enqueue(m);",
            "the sender looks at the sleep flag before publishing the message"),
        new("HomeReadBeforeBeginSend", "reorder publications", Sched + "Scheduler.cs",
            "        BeginSend(me);\n        // Window: the home may change after this read (see Migration.cs).\n        int home = target.Home;",
            "        int home = target.Home;\n        BeginSend(me);",
            "Send reads the home before marking itself inside Send: the grace period can miss it"),
        new("HomeBeforeHolding", "reorder publications", Sched + "Scheduler.Migration.cs",
            "        Atomic.Store(ref a.Holding, !SeededBugs.TwoStepMigration);\n        Atomic.Exchange(ref a.HomeCpu, newCpu);",
            "        Atomic.Exchange(ref a.HomeCpu, newCpu);\n        Atomic.Store(ref a.Holding, !SeededBugs.TwoStepMigration);",
            "the new home is published before the hold flag is set"),
        new("GraceIgnoresExternalSends", "skip re-check", Sched + "Scheduler.Migration.cs",
            "return Atomic.Load(ref _externalSends) == 0;",
            "return true;",
            "the grace period does not wait for sends from outside any CPU"),
        new("GraceIgnoresCpus", "skip re-check", Sched + "Scheduler.Migration.cs",
            "if ((s & 1) != 0 && Atomic.Load(ref _cpus[i].SendSeq) == s)",
            "if (false)",
            "the grace period does not wait for CPUs that were inside Send"),
        new("ParkCountBeforeOnParking", "reorder publications", Sched + "SafepointCoordinator.cs",
            "        ISafepointClient? client = _client;\n        if (client != null)\n        {\n            client.OnParking(cpu);\n        }\n        _scheduler.CountPark(cpu);\n        Atomic.FetchAdd(ref _parked, 1);",
            "        Atomic.FetchAdd(ref _parked, 1);\n        ISafepointClient? client = _client;\n        if (client != null)\n        {\n            client.OnParking(cpu);\n        }\n        _scheduler.CountPark(cpu);",
            "a CPU counts itself parked before it has saved its state"),
        new("ParkCountSplit", "split atomic", Sched + "SafepointCoordinator.cs",
            "Atomic.FetchAdd(ref _parked, 1);",
            "Atomic.Store(ref _parked, Atomic.Load(ref _parked) + 1);",
            "the parked count is incremented with a load and a store"),
        new("ElectionCasSplit", "split atomic", Sched + "SafepointCoordinator.cs",
            "if (Atomic.CompareExchange(ref _phase, Gathering, Idle) != Idle)",
            "int seen = Atomic.Load(ref _phase);\n            Atomic.Store(ref _phase, Gathering);\n            if (seen != Idle)",
            "the collector election with a load and a store"),
        new("ReleaseGenerationFirst", "reorder publications", Sched + "SafepointCoordinator.cs",
            "        Atomic.Store(ref _phase, Idle);\n        Atomic.FetchAdd(ref _generation, 1);",
            "        Atomic.FetchAdd(ref _generation, 1);\n        Atomic.Store(ref _phase, Idle);",
            "parked CPUs are released before the phase returns to idle"),
        new("RequestWithoutKick", "skip re-check", Sched + "SafepointCoordinator.cs",
            "        Atomic.Exchange(ref _requested, 1);\n        for (int c = 0; c < _cpuCount; c++)\n        {\n            _scheduler.Kick(c);\n        }",
            "        Atomic.Exchange(ref _requested, 1);",
            "a collection request does not wake sleeping CPUs"),
        new("ConsoleNotifyNoFence", "drop fence", "runtime/Kevlar.Runtime/Devices/ConsoleInputRing.cs",
            "        Atomic.Fence();\n        if (Atomic.Load(ref _armed) == 0) return;",
            "        if (Atomic.Load(ref _armed) == 0) return;",
            "the console producer checks the arming flag without a fence after publishing bytes"),
    };
}
