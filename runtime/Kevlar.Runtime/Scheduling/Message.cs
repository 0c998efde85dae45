// Message: the unit of work a CPU's loop delivers to an actor.
//
// Subclasses carry an immutable payload (readonly fields set in the
// constructor). The runtime owns the routing fields below: Scheduler.Send sets
// Target, MailboxQueue threads messages through Next, and forwarding after a
// migration marks Forwarded. A message is in at most one mailbox at a time;
// it may be sent again once it has been delivered.
using Kevlar.Runtime.Threading;

namespace Kevlar.Runtime.Scheduling;

public abstract class Message
{
    // The mailbox's link: set to null by the producer before the tail exchange
    // publishes the message, then written by the next producer (the link) while
    // the consumer may read it.
    [Shared] internal Message? Next;

    // Written by the sending CPU (Send) or a forwarding CPU before enqueue;
    // read by the CPU that dequeues the message.
    internal Actor? TargetActor;
    internal bool Forwarded;

    // 1 from Send until delivery; catches a message sent twice while in flight
    // (the second sender may run on another CPU than the delivering one).
    [Shared] internal int InFlight;

    /// <summary>The actor this message was last sent to, or null if never sent.</summary>
    public Actor? Target => TargetActor;
}
