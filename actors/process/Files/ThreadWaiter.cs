// ThreadWaiter: a thread's registration while it blocks in a call (read of
// an empty pipe, poll, epoll_wait, flock...): the wakeup is a WakeMessage to
// the thread, whose call then asks again (FileCall.Wait). In a poll or epoll
// round a wake can come before the thread waits — the waiter is registered
// with one owner, the thread asks the next by a round trip, and the first
// changes meanwhile — so a round's waiter (ForRound) is the thread's
// ArmedEvent, whose wake is kept rather than dropped as stale. (A waiter given
// to one owner needs none of this: the owner's reply and its later wake come
// from the same CPU, in order.)
//
// State: Thread and Event are immutable; Done as FileWaiter's.
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Process.Files;

public sealed class ThreadWaiter : FileWaiter
{
    public readonly UserThread Thread;
    public readonly KernelEvent<int> Event;

    public ThreadWaiter(UserThread thread, int events) : base(events)
    {
        Thread = thread;
        Event = new KernelEvent<int>(thread);
    }

    /// <summary>A waiter for a round over several owners, made on the thread's own CPU: armed, so
    /// a wake that comes before the thread waits on it is kept.</summary>
    public static ThreadWaiter ForRound(UserThread thread, int events)
    {
        var waiter = new ThreadWaiter(thread, events);
        thread.ArmedEvent = waiter.Event;
        return waiter;
    }

    public override void Wake(Scheduler scheduler, int events) => scheduler.Send(Thread, new WakeMessage(Event, events));
}
