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
    /// <summary>Fills <paramref name="revents"/> for each file (null files are skipped, their
    /// entry left as the caller set it) and returns how many entries are non-zero, waiting until
    /// at least one is or <paramref name="deadline"/> passes (0: do not wait; ulong.MaxValue:
    /// no deadline). -ERESTARTSYS when a signal ends the wait.</summary>
    public static async KernelTask<long> Wait(UserThread t, OpenFile?[] files, int[] events, int[] revents, ulong deadline)
    {
        ProcessHost host = t.Process.Host;
        while (true)
        {
            bool last = deadline == 0 || host.Clock.MonotonicNanoseconds >= deadline;
            ThreadWaiter? waiter = last ? null : ThreadWaiter.ForRound(t, AllEvents(events));
            int ready = 0;
            for (int i = 0; i < files.Length; i++)
            {
                OpenFile? f = files[i];
                if (f == null)
                {
                    if (revents[i] != 0) ready++;
                    continue;
                }
                int wanted = events[i] | PollEvents.Always;
                long mask = await f.PollAsync(t, wanted, ready > 0 ? null : waiter);
                revents[i] = (int)mask & wanted;
                if (revents[i] != 0) ready++;
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

    private static int AllEvents(int[] events)
    {
        int all = PollEvents.Always;
        for (int i = 0; i < events.Length; i++) all |= events[i];
        return all;
    }
}
