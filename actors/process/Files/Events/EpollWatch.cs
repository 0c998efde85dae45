// EpollWatch: an epoll entry's registration in its file's WaitQueue (Linux's
// ep_poll_callback). A round that finds the file not ready for what the entry
// asks leaves the watch registered there, in the same owner step as the
// answer; the owner's next wake for those events posts "may be ready" to the
// set, which puts the entry back on its ready list and wakes the set's
// waiters. So an epoll_wait polls only the entries that may be ready, not all.
//
// State: Set and Interest are immutable. A watch serves one setting of its
// entry: EPOLL_CTL_MOD, DEL and the description's close mark it Done, and a
// wake that comes anyway is dropped by the set (Epoll.MayBeReady).
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Process.Files.Events;

public sealed class EpollWatch : FileWaiter
{
    public readonly Epoll Set;
    public readonly EpollInterest Interest;

    public EpollWatch(Epoll set, EpollInterest interest, int events) : base(events)
    {
        Set = set;
        Interest = interest;
    }

    public override void Wake(Scheduler scheduler, int events)
    {
        Epoll set = Set;
        EpollWatch watch = this;
        set.Post(() => set.MayBeReady(watch));
    }
}
