// FileLocks: the locks of one file (Linux's struct file_lock_context): the
// POSIX and OFD record locks in one list, the flock locks in another (the
// two families never conflict), and the requests waiting to be granted.
//
// State: owned by the actor that owns the inode (see LockRegistry); every
// method runs in one of its handlers, to completion.
// Invariants:
//   1. No two held locks conflict (FileLock.Blocks).
//   2. One owner's record locks never overlap, and two of its locks of the
//      same type never touch (they are merged): F_GETLK and /proc/locks show
//      Linux's ranges.
//   3. An owner holds at most one flock lock.
//   4. Every change that may grant a waiting request wakes every waiter of
//      this table once and drops it; a woken caller asks again and waits
//      anew, so a wake is never lost and never stale.
// Waits on: nothing. Callers learn "would block" (Blocked) and wait themselves.
using System.Collections.Generic;
using Kevlar.Runtime.Diagnostics;

namespace Kevlar.Locks;

public sealed class FileLocks
{
    /// <summary>The result "the request waits; its waiter will be woken".</summary>
    public const int Blocked = 1;

    private readonly LockRegistry _registry;
    private readonly List<FileLock> _posix = new List<FileLock>();
    private readonly List<FileLock> _flocks = new List<FileLock>();
    private readonly List<BlockedLock> _blocked = new List<BlockedLock>();

    /// <summary>The file's device (major:minor) and inode number, as /proc/locks shows them.</summary>
    public readonly ulong Device, Inode;

    /// <summary>Listed in the registry's Tables (touched only by LockRegistry).</summary>
    internal bool Tracked;

    public FileLocks(LockRegistry registry, ulong device, ulong inode)
    {
        _registry = registry;
        Device = device;
        Inode = inode;
    }

    /// <summary>Held POSIX and OFD locks, each owner's together and in order of their start.</summary>
    public List<FileLock> Posix => _posix;

    /// <summary>Held flock locks.</summary>
    public List<FileLock> Flocks => _flocks;

    /// <summary>Requests waiting here (some may be abandoned: check Waiter.IsDone).</summary>
    public List<BlockedLock> Waiting => _blocked;

    public bool IsEmpty => _posix.Count == 0 && _flocks.Count == 0 && _blocked.Count == 0;

    /// <summary>F_GETLK: the first held record lock that would block <paramref name="request"/>, or null.</summary>
    public FileLock? Test(FileLock request) => FirstBlocker(_posix, request);

    /// <summary>F_SETLK/F_SETLKW (and the OFD forms): places, changes or removes
    /// <paramref name="request"/>'s range for its owner. 0; -EAGAIN when another owner's lock is in
    /// the way and <paramref name="waiter"/> is null; -EDEADLK when waiting would close a cycle of
    /// POSIX owners; Blocked after registering <paramref name="waiter"/>.</summary>
    public int SetRecord(FileLock request, ILockWaiter? waiter)
    {
        if (request.Type != FileLock.F_UNLCK)
        {
            FileLock? blocker = FirstBlocker(_posix, request);
            if (blocker != null) return Block(request, waiter);
        }
        if (Replace(request)) WakeAll();
        Kassert.True(OwnerRangesDisjoint(request.Owner), "locks: an owner's record locks overlap or touch (invariant 2)");
        Retrack();
        return 0;
    }

    /// <summary>flock(2): LOCK_SH, LOCK_EX or LOCK_UN for the request's description. A conversion
    /// first drops the old lock (waking its waiters), as on Linux: it is not atomic, and a refused
    /// or interrupted upgrade leaves no lock. 0, -EAGAIN, or Blocked after registering the waiter.</summary>
    public int SetFlock(FileLock request, ILockWaiter? waiter)
    {
        bool dropped = false;
        for (int i = 0; i < _flocks.Count; i++)
        {
            FileLock old = _flocks[i];
            if (!ReferenceEquals(old.Owner, request.Owner)) continue;
            if (old.Type == request.Type) return 0;
            _flocks.RemoveAt(i);
            dropped = true;
            break;
        }
        if (dropped) WakeAll();
        if (request.Type != FileLock.F_UNLCK)
        {
            if (FirstBlocker(_flocks, request) != null) return Block(request, waiter);
            _flocks.Add(request);
        }
        Retrack();
        return 0;
    }

    /// <summary>Drops every lock <paramref name="owner"/> holds here (a process closed an fd of the
    /// file or exited; a description's last close) and wakes the waiters if one went.</summary>
    public void RemoveOwner(object owner)
    {
        bool removed = RemoveAll(_posix, owner) | RemoveAll(_flocks, owner);
        if (removed) WakeAll();
        Retrack();
    }

    /// <summary>Drops waiters that stopped waiting (a signal ended their wait).</summary>
    public void Prune()
    {
        for (int i = _blocked.Count - 1; i >= 0; i--)
            if (_blocked[i].Waiter.IsDone) Forget(i);
        Retrack();
    }

    private void Retrack()
    {
        if (IsEmpty) _registry.Untrack(this);
        else _registry.Track(this);
    }

    private static bool RemoveAll(List<FileLock> locks, object owner)
    {
        bool removed = false;
        for (int i = locks.Count - 1; i >= 0; i--)
        {
            if (!ReferenceEquals(locks[i].Owner, owner)) continue;
            locks.RemoveAt(i);
            removed = true;
        }
        return removed;
    }

    private static FileLock? FirstBlocker(List<FileLock> locks, FileLock request)
    {
        for (int i = 0; i < locks.Count; i++)
            if (locks[i].Blocks(request)) return locks[i];
        return null;
    }

    private int Block(FileLock request, ILockWaiter? waiter)
    {
        if (waiter == null) return -Errno.EAGAIN;
        if (request.Kind == LockKind.Posix && _registry.WouldDeadlock(this, request)) return -Errno.EDEADLK;
        var b = new BlockedLock(request, this, waiter);
        Prune();
        _blocked.Add(b);
        if (request.Kind == LockKind.Posix) _registry.Waits(b);
        Retrack();
        return Blocked;
    }

    // Invariant 4: every waiter leaves; the live ones are told to ask again.
    private void WakeAll()
    {
        while (_blocked.Count > 0)
        {
            BlockedLock b = _blocked[0];
            Forget(0);
            if (!b.Waiter.IsDone) b.Waiter.Wake();
        }
    }

    private void Forget(int index)
    {
        BlockedLock b = _blocked[index];
        _blocked.RemoveAt(index);
        if (b.Request.Kind == LockKind.Posix) _registry.StopsWaiting(b);
    }

    // Puts request's range in its owner's locks (F_UNLCK: takes it out): splits the owner's locks
    // of the other type that it covers part of, merges those of its type that it overlaps or
    // touches. Whether any of the owner's locks changed (so a waiter may now be granted).
    private bool Replace(FileLock request)
    {
        long start = request.Start, end = request.End;
        bool changed = false;
        for (int i = 0; i < _posix.Count;)
        {
            FileLock l = _posix[i];
            if (!ReferenceEquals(l.Owner, request.Owner))
            {
                i++;
                continue;
            }
            if (l.Type == request.Type && Touches(l, start, end))
            {
                if (l.Start <= start && l.End >= end) return false; // already held as asked
                if (l.Start < start) start = l.Start;
                if (l.End > end) end = l.End;
                _posix.RemoveAt(i);
                changed = true;
                continue;
            }
            if (!l.Overlaps(start, end))
            {
                i++;
                continue;
            }
            changed = true;
            // The other type (or an unlock) covering part of l: keep what lies outside.
            _posix.RemoveAt(i);
            if (l.Start < start)
            {
                _posix.Insert(i, new FileLock(l.Owner, l.Kind, l.Type, l.Start, start - 1, l.Pid));
                i++;
            }
            if (l.End > end)
            {
                _posix.Insert(i, new FileLock(l.Owner, l.Kind, l.Type, end + 1, l.End, l.Pid));
                i++;
            }
        }
        if (request.Type == FileLock.F_UNLCK) return changed;
        request.Start = start;
        request.End = end;
        InsertOwned(request);
        return changed;
    }

    // Invariant 2 for one owner: its locks in start order, none overlapping, none of one type touching.
    private bool OwnerRangesDisjoint(object owner)
    {
        FileLock? previous = null;
        for (int i = 0; i < _posix.Count; i++)
        {
            FileLock l = _posix[i];
            if (!ReferenceEquals(l.Owner, owner)) continue;
            if (previous != null && (previous.End >= l.Start || (previous.Type == l.Type && previous.End + 1 == l.Start))) return false;
            previous = l;
        }
        return true;
    }

    // Whether l overlaps [start, end] or touches it end to end (Linux merges adjacent ranges).
    private static bool Touches(FileLock l, long start, long end)
        => l.Overlaps(start, end) || (l.End != FileLock.Eof && l.End + 1 == start) || (end != FileLock.Eof && end + 1 == l.Start);

    // Inserts request among its owner's locks, by start; an owner's first lock goes last (Linux's order).
    private void InsertOwned(FileLock request)
    {
        int last = -1;
        for (int i = 0; i < _posix.Count; i++)
        {
            FileLock l = _posix[i];
            if (!ReferenceEquals(l.Owner, request.Owner)) continue;
            if (l.Start > request.Start)
            {
                _posix.Insert(i, request);
                return;
            }
            last = i;
        }
        _posix.Insert(last < 0 ? _posix.Count : last + 1, request);
    }
}
