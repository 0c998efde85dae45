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
// State: the thread and the event are set at construction and let go (null)
// when Done is set, on the thread's CPU; an owner on another CPU reads each
// once (Volatile) and skips a waiter it finds released — a wake it sends just
// before is stale and dropped by the thread (UserThread's WakeMessage check).
using System.Threading;
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Process.Files;

public sealed class ThreadWaiter : FileWaiter
{
    private UserThread? _thread;
    private KernelEvent<int>? _event;

    public ThreadWaiter(UserThread thread, int events) : base(events)
    {
        _thread = thread;
        _event = new KernelEvent<int>(thread);
    }

    /// <summary>The event the wake sets: for the waiting thread, until it sets Done (null after).</summary>
    public KernelEvent<int> Event => Volatile.Read(ref _event)!;

    /// <summary>True when the waiter was released or its thread has exited (a lock table prunes it).</summary>
    public bool ThreadGone
    {
        get
        {
            UserThread? t = Volatile.Read(ref _thread);
            return t == null || t.HasExited;
        }
    }

    /// <summary>A waiter for a round over several owners, made on the thread's own CPU: armed, so
    /// a wake that comes before the thread waits on it is kept.</summary>
    public static ThreadWaiter ForRound(UserThread thread, int events)
    {
        var waiter = new ThreadWaiter(thread, events);
        thread.ArmedEvent = waiter.Event;
        return waiter;
    }

    public override void Wake(Scheduler scheduler, int events)
    {
        UserThread? t = Volatile.Read(ref _thread);
        KernelEvent<int>? e = Volatile.Read(ref _event);
        if (t != null && e != null) scheduler.Send(t, new WakeMessage(e, events));
    }

    protected override void Released()
    {
        Volatile.Write(ref _thread, null);
        Volatile.Write(ref _event, null);
    }
}
