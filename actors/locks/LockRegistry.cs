// LockRegistry: what the actor owning a set of lock tables knows across
// them — which tables hold locks (for /proc/locks) and which POSIX owner
// waits for what (the waits-for graph that makes F_SETLKW say EDEADLK).
//
// State: owned by one actor (today the VfsActor, which owns every inode and
// so every FileLocks); touched only in its handlers. No lock, no global table.
//
// Deadlock rule (Linux's posix_locks_deadlock, generalised to every holder):
// a POSIX request that would block is refused with EDEADLK when, following
// "the holder of a blocking lock is itself waiting for a lock held by ...",
// some chain reaches the caller. Only POSIX owners (processes) wait in the
// graph; OFD and flock waiters never get EDEADLK, as on Linux. Why no cycle
// is missed: every wait is registered by the handler that checks it, one at
// a time on the owning actor, so of the waits forming a cycle the last one
// registered sees all the others; a waiter that is woken leaves the graph
// and checks again when it registers anew.
using System.Collections.Generic;

namespace Kevlar.Locks;

public sealed class LockRegistry
{
    private readonly List<FileLocks> _tables = new List<FileLocks>();
    private readonly Dictionary<object, BlockedLock> _waiting = new Dictionary<object, BlockedLock>();

    /// <summary>Tables that hold or wait for a lock, in the order they first did.</summary>
    public List<FileLocks> Tables => _tables;

    internal void Track(FileLocks table)
    {
        if (!table.Tracked)
        {
            table.Tracked = true;
            _tables.Add(table);
        }
    }

    internal void Untrack(FileLocks table)
    {
        if (!table.Tracked) return;
        table.Tracked = false;
        _tables.Remove(table);
    }

    /// <summary>Records that the POSIX owner of <paramref name="b"/> now waits for it.</summary>
    internal void Waits(BlockedLock b) => _waiting[b.Request.Owner] = b;

    /// <summary>The owner of <paramref name="b"/> no longer waits for it.</summary>
    internal void StopsWaiting(BlockedLock b)
    {
        if (_waiting.TryGetValue(b.Request.Owner, out BlockedLock? now) && ReferenceEquals(now, b))
            _waiting.Remove(b.Request.Owner);
    }

    /// <summary>Whether blocking <paramref name="request"/> in <paramref name="table"/> would close
    /// a cycle of waiting POSIX owners.</summary>
    public bool WouldDeadlock(FileLocks table, FileLock request)
    {
        if (Kevlar.Runtime.Diagnostics.SeededBugs.LockCycleUndetected) return false;
        var seen = new HashSet<object>();
        return Reaches(table, request, request.Owner, seen);
    }

    // Whether a holder of a lock blocking request in table is caller, or waits (transitively) on caller.
    private bool Reaches(FileLocks table, FileLock request, object caller, HashSet<object> seen)
    {
        List<FileLock> posix = table.Posix;
        for (int i = 0; i < posix.Count; i++)
        {
            FileLock held = posix[i];
            if (!held.Blocks(request)) continue;
            if (ReferenceEquals(held.Owner, caller)) return true;
            if (!seen.Add(held.Owner)) continue;
            if (!_waiting.TryGetValue(held.Owner, out BlockedLock? next)) continue;
            if (next.Waiter.IsDone)
            {
                _waiting.Remove(held.Owner);
                continue;
            }
            if (Reaches(next.Table, next.Request, caller, seen)) return true;
        }
        return false;
    }
}
