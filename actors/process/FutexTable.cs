// FutexTable: a process's futex waiters, in arrival order (FUTEX_WAKE wakes
// the oldest first). Keyed by user address: private and shared futexes are
// the same until memory is shared between processes (MAP_SHARED across fork
// will key shared ones by frame). Owned by the process (its kernel lock), like the rest
// of the process; a woken waiter learns it by a WakeMessage, so it
// resumes in its own handler, never inside the waker's.
using System.Collections.Generic;
using Kevlar.Runtime.Async;

namespace Kevlar.Process;

public sealed class FutexTable
{
    public sealed class Waiter
    {
        public ulong Address;
        public uint Bitset;
        public UserThread Thread = null!;
        public KernelEvent<int> Event = null!;
    }

    private readonly List<Waiter> _waiters = new List<Waiter>();

    public int Count => _waiters.Count;

    public Waiter Add(UserThread t, ulong address, uint bitset, KernelEvent<int> e)
    {
        var w = new Waiter { Address = address, Bitset = bitset, Thread = t, Event = e };
        _waiters.Add(w);
        return w;
    }

    public void Remove(Waiter w) => _waiters.Remove(w);

    /// <summary>Wakes up to <paramref name="count"/> waiters on <paramref name="address"/> whose
    /// bitset shares a bit with <paramref name="bitset"/>; returns how many.</summary>
    public int Wake(UserProcess p, ulong address, int count, uint bitset)
    {
        int woken = 0;
        for (int i = 0; i < _waiters.Count && woken < count;)
        {
            Waiter w = _waiters[i];
            if (w.Address != address || (w.Bitset & bitset) == 0)
            {
                i++;
                continue;
            }
            _waiters.RemoveAt(i);
            p.Host.Scheduler.Send(w.Thread, new WakeMessage(w.Event, 1));
            woken++;
        }
        return woken;
    }

    /// <summary>FUTEX_REQUEUE: wakes up to <paramref name="wake"/> waiters on <paramref name="from"/>
    /// and moves up to <paramref name="move"/> more to <paramref name="to"/>; returns woken + moved.</summary>
    public int Requeue(UserProcess p, ulong from, ulong to, int wake, int move)
    {
        int woken = Wake(p, from, wake, uint.MaxValue), moved = 0;
        for (int i = 0; i < _waiters.Count && moved < move; i++)
        {
            if (_waiters[i].Address != from) continue;
            _waiters[i].Address = to;
            moved++;
        }
        return woken + moved;
    }
}
