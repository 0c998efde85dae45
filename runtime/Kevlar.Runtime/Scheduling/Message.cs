// Message: the unit of work a CPU's loop delivers to an actor.
//
// Subclasses carry an immutable payload (readonly fields set in the
// constructor). The runtime owns the routing fields below: Scheduler.Send sets
// Target, MailboxQueue threads messages through Next, and forwarding after a
// migration marks Forwarded. A message is in at most one mailbox at a time;
// it may be sent again once it has been delivered.
namespace Kevlar.Runtime.Scheduling;

public abstract class Message
{
    // Guarded by the mailbox holding the message: written by the producer
    // before the tail exchange publishes it, read by the owning consumer.
    internal Message? Next;

    // Written by the sending CPU (Send) or a forwarding CPU before enqueue;
    // read by the CPU that dequeues the message.
    internal Actor? TargetActor;
    internal bool Forwarded;

    // 1 from Send until delivery; catches a message sent twice while in flight.
    internal int InFlight;

    /// <summary>The actor this message was last sent to, or null if never sent.</summary>
    public Actor? Target => TargetActor;
}
