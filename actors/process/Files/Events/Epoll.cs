// Epoll: the actor that owns an epoll set's interest list (epoll(7)), homed
// on the CPU of the thread that made it. epoll_ctl runs here; epoll_wait is a
// loop of rounds on the waiting thread (EpollFile.Round), each of which asks
// this actor for a snapshot of the list, polls every description itself (a
// round trip to each owner, as poll(2) does) and brings the answers back here
// to Decide what is reported. Deciding here serialises the state reporting
// changes (EPOLLET's last report, EPOLLONESHOT's arming) with epoll_ctl and
// with waiters on other CPUs.
//
// State (owned here): _interests (order = the order rounds report in; a
// level-triggered entry that was reported moves to the end, so a small
// maxevents still reaches every ready entry, as Linux's ready list does),
// _published (the same entries as an immutable array for lock-free readers
// on any CPU: the nesting check), _changeWaiters (threads in a round, woken
// by ADD and MOD so a new or re-armed entry is polled at once).
// Invariants:
//   1. At most one entry per (fd, description).
//   2. An entry whose description has no fd left (OpenFile.IsClosed) is
//      never reported and is dropped by the next ctl or snapshot — Linux
//      removes it at the last close; here it lingers, harmless, until then.
//   3. A round's answers count only for the entry version they polled.
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

    private readonly List<EpollInterest> _interests = new List<EpollInterest>();
    private EpollInterest[] _published = new EpollInterest[0];
    private readonly WaitQueue _changeWaiters = new WaitQueue();

    /// <summary>The interest list as last published; read from any CPU.</summary>
    public EpollInterest[] Published => Volatile.Read(ref _published);

    /// <summary>epoll_ctl's ADD, MOD or DEL of (<paramref name="fd"/>, <paramref name="file"/>):
    /// 0, -EEXIST, -ENOENT, or -EINVAL (an unknown op, MOD of an EPOLLEXCLUSIVE entry).</summary>
    internal long Control(int op, int fd, OpenFile file, int events, ulong data)
    {
        Prune();
        EpollInterest? found = Find(fd, file);
        events |= PollEvents.POLLERR | PollEvents.POLLHUP;
        if (op == EpollEvents.EPOLL_CTL_ADD)
        {
            if (found != null) return -Errno.EEXIST;
            _interests.Add(new EpollInterest(fd, file) { Events = events, Data = data });
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
        }
        else if (op == EpollEvents.EPOLL_CTL_DEL)
        {
            if (found == null) return -Errno.ENOENT;
            found.Removed = true;
            _interests.Remove(found);
        }
        else return -Errno.EINVAL;
        Publish();
        if (op != EpollEvents.EPOLL_CTL_DEL) _changeWaiters.Wake(Scheduler!, WakeEvents);
        return 0;
    }

    /// <summary>A round's start: the armed entries to poll, registering <paramref name="waiter"/>
    /// (when given) to be woken by the next ADD or MOD.</summary>
    internal long Snapshot(FileWaiter? waiter, out EpollProbe[] probes)
    {
        Prune();
        int armed = 0;
        for (int i = 0; i < _interests.Count; i++) if (_interests[i].Armed) armed++;
        probes = new EpollProbe[armed];
        int n = 0;
        for (int i = 0; i < _interests.Count; i++)
        {
            EpollInterest it = _interests[i];
            if (!it.Armed) continue;
            probes[n++] = new EpollProbe { Interest = it, Events = it.Events, Version = it.Version, Reported = it.Reported, Stamp = it.Stamp };
        }
        if (waiter != null) _changeWaiters.Add(waiter);
        return armed;
    }

    /// <summary>A round's end: from the polled <paramref name="masks"/> and <paramref name="edges"/>,
    /// the entries to report (at most <paramref name="max"/>) into the output arrays; their count.
    /// With <paramref name="claim"/> (epoll_wait) the reports count: EPOLLET remembers them,
    /// EPOLLONESHOT disarms; without (a poll of the epoll fd itself) nothing changes.</summary>
    internal long Decide(EpollProbe[] probes, int[] masks, ulong[] edges, int max, bool claim, int[] outEvents, ulong[] outData)
    {
        int n = 0;
        List<EpollInterest>? reportedLevel = null;
        for (int i = 0; i < probes.Length && n < max; i++)
        {
            EpollInterest it = probes[i].Interest;
            if (it.Removed || it.Version != probes[i].Version || !it.Armed || it.File.IsClosed) continue;
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
            else if (claim) (reportedLevel ??= new List<EpollInterest>()).Add(it);
            outEvents[n] = ready;
            outData[n] = it.Data;
            n++;
            if (claim && (it.Events & EpollEvents.EPOLLONESHOT) != 0) it.Armed = false;
        }
        if (reportedLevel != null) MoveToEnd(reportedLevel);
        return n;
    }

    /// <summary>The epoll's last fd closed: the list goes.</summary>
    internal long Clear()
    {
        for (int i = 0; i < _interests.Count; i++) _interests[i].Removed = true;
        _interests.Clear();
        Publish();
        _changeWaiters.Clear();
        return 0;
    }

    private EpollInterest? Find(int fd, OpenFile file)
    {
        for (int i = 0; i < _interests.Count; i++)
            if (_interests[i].Fd == fd && _interests[i].File == file) return _interests[i];
        return null;
    }

    // Invariant 2: entries of closed descriptions go.
    private void Prune()
    {
        bool changed = false;
        for (int i = _interests.Count - 1; i >= 0; i--)
        {
            if (!_interests[i].File.IsClosed) continue;
            _interests[i].Removed = true;
            _interests.RemoveAt(i);
            changed = true;
        }
        if (changed) Publish();
    }

    private void MoveToEnd(List<EpollInterest> moved)
    {
        for (int i = 0; i < moved.Count; i++)
        {
            _interests.Remove(moved[i]);
            _interests.Add(moved[i]);
        }
        Publish();
    }

    private void Publish() => Volatile.Write(ref _published, _interests.ToArray());
}
