// Readiness: the wait at the heart of poll, ppoll, select and pselect6.
// Each round asks every file for its events (a message to the owners of
// pipes and ttys, inline for the rest) and registers one FileWaiter with
// every file where nothing asked for holds yet; the first wakeup, the
// deadline or a signal ends the wait, and the next round asks again. So a
// change between two files' answers cannot be missed: the file that changes
// already holds the waiter, or is asked after the change.
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files;

public static class Readiness
{
    /// <summary>Fills Revents for each of the first <paramref name="count"/> entries (those without a
    /// file are skipped, their Revents left as the caller set it) and returns how many are non-zero,
    /// waiting until at least one is or <paramref name="deadline"/> passes (0: do not wait;
    /// ulong.MaxValue: no deadline). -ERESTARTSYS when a signal ends the wait.</summary>
    public static async KernelTask<long> Wait(UserThread t, PollBuffers.Entry[] entries, int count, ulong deadline)
    {
        ProcessHost host = t.Process.Host;
        while (true)
        {
            bool last = deadline == 0 || host.Clock.MonotonicNanoseconds >= deadline;
            ThreadWaiter? waiter = last ? null : ThreadWaiter.ForRound(t, AllEvents(entries, count));
            int ready = 0, cpu = FileOwner.CpuOf(t);
            for (int i = 0; i < count; i++)
            {
                OpenFile? f = entries[i].File;
                if (f == null)
                {
                    if (entries[i].Revents != 0) ready++;
                    continue;
                }
                int wanted = entries[i].Events | PollEvents.Always;
                // Most files answer at once (their owner is here, or they have none): no task, no await then.
                FileWaiter? register = ready > 0 ? null : waiter;
                if (!f.TryPollHere(cpu, wanted, register, out int mask))
                {
                    KernelTask<long> poll = f.PollThere(t, wanted, register);
                    if (poll.IsCompleted) mask = (int)poll.Result;
                    else
                    {
                        mask = (int)await poll;
                        cpu = FileOwner.CpuOf(t);
                    }
                }
                entries[i].Revents = mask & wanted;
                if (entries[i].Revents != 0) ready++;
            }
            if (ready > 0 || waiter == null)
            {
                if (waiter != null) waiter.Done = true;
                return ready;
            }
            long woken = await FileCall.Wait(t, waiter, deadline == ulong.MaxValue ? 0 : deadline);
            if (woken < 0) return woken;
        }
    }

    private static int AllEvents(PollBuffers.Entry[] entries, int count)
    {
        int all = PollEvents.Always;
        for (int i = 0; i < count; i++) all |= entries[i].Events;
        return all;
    }
}
