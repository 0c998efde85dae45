// EpollRoundBuffers: the arrays an epoll_wait works in — the probes the set
// hands a round, the masks and edge counts the round polls, the events it
// reports and their bytes in user format — kept by the thread between calls,
// so a wait allocates nothing once they are big enough (epoll_wait is a hot
// path: an event loop calls it once per turn).
//
// State: only the owning thread's system call touches them, and a thread runs
// one call at a time; the set's Snapshot and Decide fill them on the set's CPU
// while that call waits for the reply. A round nested in another (an epoll
// set polled by an outer set, or by poll(2)) finds the thread's buffers taken
// and works in its own. Buffers grown past KeptEntries are not kept, so one
// wait over a huge ready list does not pin its arrays to the thread.
namespace Kevlar.Process.Files.Events;

public sealed class EpollRoundBuffers
{
    private const int KeptEntries = 256;

    public EpollProbe[] Probes = new EpollProbe[8];
    public int[] Masks = new int[8];
    public ulong[] Edges = new ulong[8];
    public int[] Events = new int[8];
    public ulong[] Data = new ulong[8];
    public byte[] Raw = new byte[8 * EpollEvents.EventSize];

    /// <summary>The thread's buffers (leaving it none until <see cref="Return"/>), or new ones.</summary>
    public static EpollRoundBuffers Take(UserThread t)
    {
        EpollRoundBuffers? kept = t.EpollBuffers;
        if (kept == null) return new EpollRoundBuffers();
        t.EpollBuffers = null;
        return kept;
    }

    /// <summary>Gives the buffers back to the thread for its next wait.</summary>
    public void Return(UserThread t)
    {
        if (Probes.Length <= KeptEntries && Events.Length <= KeptEntries) t.EpollBuffers = this;
    }

    /// <summary>Room for a round over <paramref name="entries"/> ready entries.</summary>
    public void EnsureEntries(int entries)
    {
        if (Probes.Length >= entries) return;
        int size = System.Math.Max(entries, 2 * Probes.Length);
        Probes = new EpollProbe[size];
        Masks = new int[size];
        Edges = new ulong[size];
    }

    /// <summary>Room to report <paramref name="max"/> events.</summary>
    public void EnsureEvents(int max)
    {
        if (Events.Length >= max) return;
        int size = System.Math.Max(max, 2 * Events.Length);
        Events = new int[size];
        Data = new ulong[size];
        Raw = new byte[size * EpollEvents.EventSize];
    }
}
