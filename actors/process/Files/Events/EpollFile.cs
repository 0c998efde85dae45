// EpollFile: the open file description of an epoll set (epoll_create(2));
// its state is the Epoll actor's. Wait is epoll_wait's loop, on the calling
// thread: rounds like poll(2)'s (Files/Readiness.cs) — each asks the Epoll
// for the entries on its ready list, polls their descriptions (each with the
// entry's EpollWatch) and lets the Epoll decide what to report — until
// something is reported, the deadline passes or a signal ends the wait.
//
// Why no wakeup is lost: the thread's waiter is registered with the Epoll in
// the step that hands out the ready list, and every entry not on it has its
// watch registered with its file, left there by the round that found the
// file not ready for what it asked (for an EPOLLET entry already reported,
// the events not reported: so a new edge on a still-ready file fires it
// too). A change after a file answered fires the watch, which puts the entry
// back on the list and wakes the waiter; a change before is in the answer.
//
// The epoll fd is itself pollable (POLLIN while a wait would report
// something, without consuming it) so it can be watched by poll, select and
// another epoll set; nesting is bounded at ADD (EpollCtl checks loops and depth).
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files.Events;

public sealed class EpollFile : OpenFile
{
    private const int AnyEvent = PollEvents.POLLIN | PollEvents.POLLOUT | PollEvents.POLLPRI | PollEvents.POLLRDNORM
        | PollEvents.POLLWRNORM | PollEvents.POLLRDHUP | PollEvents.Always;

    public readonly Epoll Set;

    public EpollFile(Epoll set, int flags)
    {
        Set = set;
        StatusFlags = OpenFlags.O_RDWR | flags;
    }

    /// <summary>epoll_wait: up to <paramref name="max"/> events into <paramref name="round"/>'s Events
    /// and Data, waiting until one is reported or
    /// <paramref name="deadline"/> (monotonic ns; 0: do not wait; ulong.MaxValue: no deadline)
    /// passes: the count, or -ERESTARTSYS when a signal ends the wait.</summary>
    public KernelTask<long> Wait(UserThread t, int max, EpollRoundBuffers round, ulong deadline)
    {
        // Only looking (timeout 0): one round that registers nothing, with no state machine.
        if (deadline == 0) return Round(t, null, max, true, round);
        return WaitForEvents(t, max, round, deadline);
    }

    private async KernelTask<long> WaitForEvents(UserThread t, int max, EpollRoundBuffers round, ulong deadline)
    {
        ProcessHost host = t.Process.Host;
        while (true)
        {
            bool last = host.Clock.MonotonicNanoseconds >= deadline;
            ThreadWaiter? waiter = last ? null : ThreadWaiter.ForRound(t, AnyEvent);
            long n = await Round(t, waiter, max, true, round);
            if (n > 0 || waiter == null)
            {
                if (waiter != null) waiter.Done = true;
                return n;
            }
            long woken = await FileCall.Wait(t, waiter, deadline == ulong.MaxValue ? 0 : deadline);
            if (woken < 0) return woken;
        }
    }

    // One round: the ready list, each entry polled with its watch (left registered where nothing asked
    // holds), decide. With the set and every polled file here (the common case) the round is one
    // synchronous pass; from the first file elsewhere it goes on as round trips, as it does all along
    // when the set itself is elsewhere.
    private KernelTask<long> Round(UserThread t, FileWaiter? waiter, int max, bool claim, EpollRoundBuffers round)
    {
        if (!Set.RunsHere(t)) return RoundAway(t, waiter, max, claim, round);
        int count = (int)Set.Snapshot(waiter, round), cpu = FileOwner.CpuOf(t);
        for (int i = 0; i < count; i++)
            if (!AskHere(cpu, round, i)) return RoundFrom(t, max, claim, round, count, i);
        return KernelTask<long>.FromResult(Set.Decide(round, count, max, claim));
    }

    // The set is elsewhere: its two steps are round trips.
    private async KernelTask<long> RoundAway(UserThread t, FileWaiter? waiter, int max, bool claim, EpollRoundBuffers round)
    {
        int count = (int)await SnapshotThere(t, waiter, round);
        await AskFrom(t, round, 0, count);
        return await DecideStep(t, round, count, max, claim);
    }

    // Entry `first` was asked here and its file's owner is elsewhere.
    private async KernelTask<long> RoundFrom(UserThread t, int max, bool claim, EpollRoundBuffers round, int count, int first)
    {
        round.Masks[first] = (int)await AskThere(t, round, first);
        await AskFrom(t, round, first + 1, count);
        return await DecideStep(t, round, count, max, claim);
    }

    // Polls entries [from, count): here where the file answers here, else a round trip.
    private static async KernelTask AskFrom(UserThread t, EpollRoundBuffers round, int from, int count)
    {
        int cpu = FileOwner.CpuOf(t);
        for (int i = from; i < count; i++)
        {
            if (AskHere(cpu, round, i)) continue;
            round.Masks[i] = (int)await AskThere(t, round, i);
            cpu = FileOwner.CpuOf(t); // the thread may have moved meanwhile
        }
    }

    // Asks entry i's file where its owner runs here: false when the owner is elsewhere (the question
    // is set up, the answer is AskThere's). A closed file needs no answer (its mask stays 0).
    private static bool AskHere(int cpu, EpollRoundBuffers round, int i)
    {
        if (!Prepare(round, i)) return true;
        EpollProbe probe = round.Probes[i];
        return probe.Interest.File.TryPollHere(cpu, probe.Asked, probe.Watch, out round.Masks[i]);
    }

    private static KernelTask<long> AskThere(UserThread t, EpollRoundBuffers round, int i)
    {
        EpollProbe probe = round.Probes[i];
        return probe.Interest.File.PollThere(t, probe.Asked, probe.Watch);
    }

    private KernelTask<long> DecideStep(UserThread t, EpollRoundBuffers round, int count, int max, bool claim)
        => Set.RunsHere(t) ? KernelTask<long>.FromResult(Set.Decide(round, count, max, claim)) : DecideThere(t, round, count, max, claim);

    // Sets up entry i's question (the events it asks, its file's edge count): false when its file
    // is closed (nothing to ask; its mask stays 0).
    private static bool Prepare(EpollRoundBuffers round, int i)
    {
        EpollProbe[] probes = round.Probes;
        round.Masks[i] = 0;
        round.Edges[i] = 0;
        OpenFile f = probes[i].Interest.File;
        if (f.IsClosed) return false;
        int wanted = EpollInterest.Wanted(probes[i].Events);
        ulong edges = f.EdgeCount(wanted);
        round.Edges[i] = edges;
        bool edge = (probes[i].Events & EpollEvents.EPOLLET) != 0;
        int seen = edge && edges == probes[i].Stamp ? probes[i].Reported : 0;
        probes[i].Asked = wanted & ~seen;
        return true;
    }

    private KernelTask<long> SnapshotThere(UserThread t, FileWaiter? waiter, EpollRoundBuffers round)
        => Set.RunThere(t, () => Set.Snapshot(waiter, round));

    private KernelTask<long> DecideThere(UserThread t, EpollRoundBuffers round, int count, int max, bool claim)
        => Set.RunThere(t, () => Set.Decide(round, count, max, claim));

    public override KernelTask<long> PollAsync(UserThread t, int events, FileWaiter? waiter) => PollRound(t, waiter);

    private async KernelTask<long> PollRound(UserThread t, FileWaiter? waiter)
    {
        EpollRoundBuffers round = EpollRoundBuffers.Take(t);
        long n = await Round(t, waiter, 1, false, round);
        round.Return(t);
        return n > 0 ? PollEvents.POLLIN | PollEvents.POLLRDNORM : 0;
    }

    public override bool Pollable => true;

    /// <summary>noop_llseek, as Linux's anonymous files: the offset stays 0.</summary>
    public override long Seek(long offset, int whence) => 0;

    public override void Stat(ref FileStatus status) => AnonymousInode.Stat(ref status);

    protected override void OnLastClose() => Set.Post(() => Set.Clear());
}
