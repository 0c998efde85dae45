// FileWaiter: a registration in an owner's WaitQueue — "tell me when one of
// these events may have happened". The wakeup carries no data; whoever is
// told asks again, so a wait abandoned by a signal loses nothing. Two kinds:
// a thread blocked in a call (ThreadWaiter) and an epoll entry watching its
// file (Events/EpollWatch), which turns the wakeup into a message to its set.
//
// State: Events is immutable. Done is written when the registration is no
// longer wanted (the thread stopped waiting, the epoll entry changed) and read
// by owners to prune it; a stale read only delays pruning (a wake that comes
// anyway is dropped by whoever receives it).
using System.Threading;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Process.Files;

public abstract class FileWaiter
{
    /// <summary>The poll events (POLLIN, POLLOUT, ...) the registration cares about.</summary>
    public readonly int Events;
    private int _done;

    protected FileWaiter(int events) { Events = events; }

    /// <summary>The registration is no longer wanted: owners drop it.</summary>
    public bool Done
    {
        get => Volatile.Read(ref _done) != 0;
        set
        {
            Volatile.Write(ref _done, value ? 1 : 0);
            if (value) Released();
        }
    }

    /// <summary>Done was set: a kind may let go of what it refers to, so that an owner that has
    /// not pruned it yet holds nothing through it.</summary>
    protected virtual void Released() { }

    /// <summary>One of <paramref name="events"/> may have happened. Called by the owner, in its
    /// handler, once per registration (the queue drops it as it wakes it).</summary>
    public abstract void Wake(Scheduler scheduler, int events);
}
