// Epoll: the actor that owns an epoll set's interest list and ready list
// (epoll(7)), homed on the CPU of the thread that made it. epoll_ctl runs
// here; epoll_wait is a loop of rounds on the waiting thread
// (EpollFile.Round), each of which asks this actor for the entries on the
// ready list, polls their descriptions itself (a round trip to each owner,
// as poll(2) does) and brings the answers back here to Decide what is
// reported.
//
// The ready list is Linux's: an entry is on it from ADD or MOD until a round
// finds its file not ready for what it asks, which leaves the entry's
// EpollWatch registered in the file's wait queue in the same owner step;
// the file's next wake for those events puts the entry back (MayBeReady) and
// wakes the set's waiters. A round therefore costs the ready entries, not
// the whole set: 1,000 idle fds cost nothing.
//
// State (owned here): _byFd (every entry, chained by SameFd), _all (the
// same, at each entry's Slot, for sweeps), _ready (the entries a round polls, in the order rounds
// report in: a level-triggered entry that was reported moves to the end, so
// a small maxevents still reaches every ready entry), _nested (the entries
// that are epoll sets, published as an immutable array for the nesting check
// on any CPU), _changeWaiters (threads and outer sets waiting on this one:
// woken when an entry joins the ready list).
// Invariants:
//   1. At most one entry per (fd, description).
//   2. An armed entry is on _ready, or its watch is registered with its file
//      (the last round found the file not ready and no wake came since).
//   3. An entry whose description has no fd left (OpenFile.IsClosed) is
//      never reported; it goes when a round or ctl meets it, or at the next
//      sweep — Linux removes it at the last close.
//   4. A round's answers count only for the entry version (and watch) they polled.
//
// Edge-triggered reporting (EPOLLET): Linux reports an entry when a wakeup
// of the file's wait queue for its events finds it ready. Here each entry
// remembers the events it last reported and the file's EdgeCount then (a
// count of changes that may have made the events true, kept by pipes,
// eventfds, timerfds and signalfds); an entry is reported again when the
// count moved or a ready event was not in the last report. Files that keep no
// count (the tty) approximate "changed" by "was seen not ready since": a
// reported event is cleared from the memory when a round finds it not ready.
// So with them, new input that arrives before any round saw the file drained
// is not reported again — that is the approximation.
//
// Waits on: nothing (replies at once; waiting is the caller's FileWaiter).
using System.Collections.Generic;
using System.Threading;

namespace Kevlar.Process.Files.Events;

public sealed class Epoll : FileOwner
{
    public override string DiagnosticName => "epoll";

    private const int WakeEvents = PollEvents.POLLIN | PollEvents.POLLOUT;

    private readonly Dictionary<int, EpollInterest> _byFd = new Dictionary<int, EpollInterest>();
    private readonly List<EpollInterest> _all = new List<EpollInterest>();
    private readonly List<EpollInterest> _ready = new List<EpollInterest>();
    private readonly List<EpollInterest> _nested = new List<EpollInterest>();
    private EpollInterest[] _published = new EpollInterest[0];
    private readonly WaitQueue _changeWaiters = new WaitQueue();
    // Decide's level-triggered reports, moved to the end of _ready after it (empty between rounds).
    private readonly List<EpollInterest> _reportedLevel = new List<EpollInterest>();
    // _all's size after the last sweep of closed descriptions: the next comes when it doubled.
    private int _sweptAt;

    /// <summary>The entries that are epoll sets, as last published; read from any CPU.</summary>
    public EpollInterest[] Published => Volatile.Read(ref _published);

    /// <summary>How many entries the next round polls (tests and /proc).</summary>
    public int ReadyCount => _ready.Count;

    /// <summary>epoll_ctl's ADD, MOD or DEL of (<paramref name="fd"/>, <paramref name="file"/>):
    /// 0, -EEXIST, -ENOENT, or -EINVAL (an unknown op, MOD of an EPOLLEXCLUSIVE entry).</summary>
    internal long Control(int op, int fd, OpenFile file, int events, ulong data)
    {
        if (op != EpollEvents.EPOLL_CTL_ADD && op != EpollEvents.EPOLL_CTL_MOD && op != EpollEvents.EPOLL_CTL_DEL) return -Errno.EINVAL;
        EpollInterest? found = Find(fd, file);
        events |= PollEvents.POLLERR | PollEvents.POLLHUP;
        if (op == EpollEvents.EPOLL_CTL_ADD)
        {
            if (found != null) return -Errno.EEXIST;
            SweepWhenGrown();
            var it = new EpollInterest(fd, file) { Events = events, Data = data };
            Insert(it);
            Arm(it);
        }
        else if (op == EpollEvents.EPOLL_CTL_MOD)
        {
            if (found == null) return -Errno.ENOENT;
            if ((found.Events & EpollEvents.EPOLLEXCLUSIVE) != 0) return -Errno.EINVAL;
            found.Events = events;
            found.Data = data;
            found.Version++;
            found.Armed = true;
            found.Reported = 0;
            Arm(found);
        }
        else
        {
            if (found == null) return -Errno.ENOENT;
            Remove(found);
            return 0;
        }
        _changeWaiters.Wake(Scheduler!, WakeEvents);
        return 0;
    }

    /// <summary>A round's start: the armed entries on the ready list, registering
    /// <paramref name="waiter"/> (when given) to be woken when an entry joins the list.</summary>
    internal long Snapshot(FileWaiter? waiter, EpollRoundBuffers into)
    {
        for (int i = _ready.Count - 1; i >= 0; i--)
            if (_ready[i].File.IsClosed) Remove(_ready[i]);
        into.EnsureEntries(_ready.Count);
        EpollProbe[] probes = into.Probes;
        for (int i = 0; i < _ready.Count; i++)
        {
            EpollInterest it = _ready[i];
            probes[i] = new EpollProbe { Interest = it, Watch = it.Watch!, Events = it.Events, Version = it.Version, Reported = it.Reported, Stamp = it.Stamp, Wakes = it.Wakes };
        }
        if (waiter != null) _changeWaiters.Add(waiter);
        return _ready.Count;
    }

    /// <summary>A round's end: from the <paramref name="count"/> probes of <paramref name="round"/> and
    /// the masks and edge counts polled for them, the entries to report (at most <paramref name="max"/>)
    /// into its Events and Data (made big enough here); their count.
    /// With <paramref name="claim"/> (epoll_wait) the reports count: EPOLLET remembers them,
    /// EPOLLONESHOT disarms; without (a poll of the epoll fd itself) nothing changes. Either way an
    /// entry found not ready, with no wake since, leaves the ready list (invariant 2).</summary>
    internal long Decide(EpollRoundBuffers round, int count, int max, bool claim)
    {
        // Room for what can be reported (not for maxevents: event loops ask for 1,024 and get a few).
        round.EnsureEvents(System.Math.Min(max, count));
        EpollProbe[] probes = round.Probes;
        int[] masks = round.Masks, outEvents = round.Events;
        ulong[] edges = round.Edges, outData = round.Data;
        int n = 0;
        List<EpollInterest> reportedLevel = _reportedLevel;
        for (int i = 0; i < count; i++)
        {
            EpollInterest it = probes[i].Interest;
            if (it.Removed || it.Version != probes[i].Version || !it.Armed || it.File.IsClosed) continue;
            // Not ready for what was asked: the file registered the watch with its answer, and it has
            // not fired since. (Nothing of such an answer is reported below either.)
            bool noWakeSince = it.Wakes == probes[i].Wakes || Kevlar.Runtime.Diagnostics.SeededBugs.EpollQuietIgnoresWakes;
            if ((masks[i] & (probes[i].Asked | PollEvents.Always)) == 0 && noWakeSince)
                LeaveReadyList(it);
            if (n >= max) continue;
            int ready = masks[i] & EpollInterest.Wanted(it.Events);
            if (it.EdgeTriggered)
            {
                int seen = edges[i] != it.Stamp ? 0 : it.Reported & ready;
                if (claim)
                {
                    it.Stamp = edges[i];
                    it.Reported = (ready & ~seen) != 0 ? ready : seen;
                }
                if ((ready & ~seen) == 0) continue;
            }
            else if (ready == 0) continue;
            else if (claim) reportedLevel.Add(it);
            outEvents[n] = ready;
            outData[n] = it.Data;
            n++;
            if (claim && (it.Events & EpollEvents.EPOLLONESHOT) != 0)
            {
                it.Armed = false;
                LeaveReadyList(it);
            }
        }
        if (reportedLevel.Count > 0) MoveToEnd(reportedLevel);
        return n;
    }

    /// <summary>An entry's watch fired: its file may be ready for what it asks.</summary>
    internal long MayBeReady(EpollWatch watch)
    {
        EpollInterest it = watch.Interest;
        if (it.Removed || it.Watch != watch || !it.Armed) return 0;
        it.Wakes++;
        if (!it.OnReadyList)
        {
            it.OnReadyList = true;
            _ready.Add(it);
        }
        _changeWaiters.Wake(Scheduler!, WakeEvents);
        return 0;
    }

    /// <summary>The epoll's last fd closed: the lists go.</summary>
    internal long Clear()
    {
        for (int i = 0; i < _all.Count; i++)
        {
            _all[i].Removed = true;
            _all[i].Watch!.Done = true;
        }
        _all.Clear();
        _byFd.Clear();
        _ready.Clear();
        _nested.Clear();
        Publish();
        _changeWaiters.Clear();
        return 0;
    }

    // A new setting: a new watch (the old one's registrations are dropped) and onto the ready list.
    private void Arm(EpollInterest it)
    {
        if (it.Watch != null) it.Watch.Done = true;
        it.Watch = new EpollWatch(this, it, EpollInterest.Wanted(it.Events) | PollEvents.Always);
        if (!it.OnReadyList)
        {
            it.OnReadyList = true;
            _ready.Add(it);
        }
    }

    private EpollInterest? Find(int fd, OpenFile file)
    {
        EpollInterest? it;
        if (!_byFd.TryGetValue(fd, out it)) return null;
        for (; it != null; it = it.SameFd)
            if (it.File == file) return it;
        return null;
    }

    private void Insert(EpollInterest it)
    {
        EpollInterest? head;
        if (_byFd.TryGetValue(it.Fd, out head)) it.SameFd = head;
        _byFd[it.Fd] = it;
        it.Slot = _all.Count;
        _all.Add(it);
        if (it.File is EpollFile)
        {
            _nested.Add(it);
            Publish();
        }
    }

    private void Remove(EpollInterest it)
    {
        it.Removed = true;
        it.Watch!.Done = true;
        LeaveReadyList(it);
        EpollInterest? head;
        _byFd.TryGetValue(it.Fd, out head);
        if (head == it)
        {
            if (it.SameFd != null) _byFd[it.Fd] = it.SameFd;
            else _byFd.Remove(it.Fd);
        }
        else
        {
            for (EpollInterest? p = head; p != null; p = p.SameFd)
                if (p.SameFd == it)
                {
                    p.SameFd = it.SameFd;
                    break;
                }
        }
        EpollInterest last = _all[_all.Count - 1];
        _all[it.Slot] = last;
        last.Slot = it.Slot;
        _all.RemoveAt(_all.Count - 1);
        if (_nested.Remove(it)) Publish();
    }

    private void LeaveReadyList(EpollInterest it)
    {
        if (!it.OnReadyList) return;
        it.OnReadyList = false;
        _ready.Remove(it);
    }

    // Invariant 3 for entries no round meets (quiet ones): a sweep when the set doubled since the
    // last, so ADDs stay O(1) amortised.
    private void SweepWhenGrown()
    {
        if (_all.Count < 2 * _sweptAt + 16) return;
        for (int i = _all.Count - 1; i >= 0; i--)
            if (_all[i].File.IsClosed) Remove(_all[i]);
        _sweptAt = _all.Count;
    }

    // Empties moved as it goes (it is the set's reusable _reportedLevel).
    private void MoveToEnd(List<EpollInterest> moved)
    {
        for (int i = 0; i < moved.Count; i++)
        {
            if (!moved[i].OnReadyList) continue;
            _ready.Remove(moved[i]);
            _ready.Add(moved[i]);
        }
        moved.Clear();
    }

    private void Publish() => Volatile.Write(ref _published, _nested.ToArray());
}
