// WaitQueue: the threads waiting for an owner's state to change (a pipe to
// become readable or writable, a tty line to arrive). Every change that may
// make an event true wakes every waiter interested in it, once: each is
// removed as it is woken and asks again.
//
// State: owned by the owning actor (touched only in its handlers).
using System.Collections.Generic;

namespace Kevlar.Process.Files;

public sealed class WaitQueue
{
    private readonly List<FileWaiter> _waiters = new List<FileWaiter>();

    public int Count => _waiters.Count;

    /// <summary>Registers <paramref name="w"/> (once: an epoll entry's watch is registered again
    /// by every round that finds its file not ready), first dropping waiters that stopped waiting.</summary>
    public void Add(FileWaiter w)
    {
        bool present = false;
        for (int i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Done) _waiters.RemoveAt(i);
            else if (_waiters[i] == w) present = true;
        }
        if (!present) _waiters.Add(w);
    }

    /// <summary>Wakes (and removes) every waiter interested in one of <paramref name="events"/>.</summary>
    public void Wake(Kevlar.Runtime.Scheduling.Scheduler scheduler, int events)
    {
        for (int i = 0; i < _waiters.Count;)
        {
            FileWaiter w = _waiters[i];
            if (w.Done || (w.Events & events) != 0)
            {
                _waiters.RemoveAt(i);
                if (!w.Done) w.Wake(scheduler, events);
                continue;
            }
            i++;
        }
    }

    /// <summary>Drops every registration without waking it (the owner is going away).</summary>
    public void Clear() => _waiters.Clear();
}
