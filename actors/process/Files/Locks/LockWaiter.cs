// LockWaiter: a thread blocked in flock or F_SETLKW as a lock table sees it
// (Kevlar.Locks.ILockWaiter over a FileWaiter). Wake runs on the table's
// owner and sends the thread a WakeMessage; the thread asks again. Done when
// a signal ended the wait (the FileWaiter's flag) or the thread exited (a
// SIGKILL): read from the table's CPU, a stale answer only delays pruning.
using Kevlar.Locks;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Process.Files.Locks;

public sealed class LockWaiter : ILockWaiter
{
    public readonly ThreadWaiter Waiter;
    private readonly Scheduler _scheduler;

    public LockWaiter(UserThread t)
    {
        Waiter = new ThreadWaiter(t, PollEvents.POLLIN);
        _scheduler = t.Process.Host.Scheduler;
    }

    public bool IsDone => Waiter.Done || Waiter.ThreadGone;

    public void Wake() => Waiter.Wake(_scheduler, PollEvents.POLLIN);
}
