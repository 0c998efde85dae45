// ThreadWaiter: a thread's registration while it blocks in a call (read of
// an empty pipe, poll, epoll_wait, flock...): the wakeup is a WakeMessage to
// the thread, whose call then asks again (FileCall.Wait).
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

    public override void Wake(Scheduler scheduler, int events) => scheduler.Send(Thread, new WakeMessage(Event, events));
}
