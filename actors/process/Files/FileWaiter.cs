// FileWaiter: a thread's registration in an owner's WaitQueue — "wake me
// when one of these events may have happened". The wakeup carries no data;
// the thread asks again, so a wait abandoned by a signal loses nothing.
//
// State: Thread, Event and Events are immutable. Done is written by the
// thread's CPU when it stops waiting and read by owners to prune the
// registration; a stale read only delays pruning (the wake would be dropped
// anyway, its event no longer being the thread's WaitEvent).
using System.Threading;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files;

public sealed class FileWaiter
{
    public readonly UserThread Thread;
    public readonly KernelEvent<int> Event;
    /// <summary>The poll events (POLLIN, POLLOUT, ...) the waiter cares about.</summary>
    public readonly int Events;
    private int _done;

    public FileWaiter(UserThread thread, int events)
    {
        Thread = thread;
        Event = new KernelEvent<int>(thread);
        Events = events;
    }

    /// <summary>The thread no longer waits: owners drop this registration.</summary>
    public bool Done
    {
        get => Volatile.Read(ref _done) != 0;
        set => Volatile.Write(ref _done, value ? 1 : 0);
    }
}
