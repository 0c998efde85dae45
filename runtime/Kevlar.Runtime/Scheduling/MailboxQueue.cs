// MailboxQueue: a CPU's mailbox, a lock-free intrusive multi-producer
// single-consumer FIFO (Vyukov's queue with a stub node).
//
// Producers (any CPU) publish a message with one atomic exchange of _tail and
// then link the previous tail to it; the single consumer (the owning CPU) walks
// _head. Between a producer's exchange and its link the queue is "in
// progress": TryDequeue may return null while IsEmpty is false, so the idle
// protocol, which checks IsEmpty, never sleeps on a half-published message.
// Messages from one producer come out in the order that producer enqueued them.
//
// State (guards):
//   _tail  [Shared] any producer, by Atomic.Exchange (a full fence, which the
//          idle protocol relies on: enqueue, then read the sleep flag); the
//          consumer loads it. Message.Next is [Shared] too (producer links,
//          consumer follows).
//   _head  the consumer only.
//   _stub  immutable; re-enqueued by the consumer when the queue drains.
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Threading;

namespace Kevlar.Runtime.Scheduling;

public sealed class MailboxQueue
{
    private readonly Message _stub;
    private Message _head;
    [Shared] private Message _tail;

    public MailboxQueue()
    {
        _stub = new StubMessage();
        _head = _stub;
        _tail = _stub;
    }

    /// <summary>Appends <paramref name="m"/>; callable from any CPU. The message
    /// must not be in any queue.</summary>
    public void Enqueue(Message m)
    {
        Atomic.Store(ref m.Next, null);
        Message prev;
        if (SeededBugs.MailboxLostEnqueue)
        {
            // Seeded bug: read-then-write is not one atomic step.
            prev = Atomic.Load(ref _tail);
            Atomic.Store(ref _tail, m);
            Atomic.Fence();
        }
        else
        {
            prev = Atomic.Exchange(ref _tail, m);
        }
        ProtocolCoverage.Reached(prev == _stub ? "mailbox.enqueue-into-empty" : "mailbox.enqueue-behind-message");
        // Between publishing the tail and linking it the queue is in progress.
        Atomic.Store(ref prev.Next, m);
    }

    /// <summary>Removes the oldest message, or returns null when the queue is
    /// empty or its next message is still being linked. Owning CPU only.</summary>
    public Message? TryDequeue()
    {
        Message head = _head;
        Message? next = Atomic.Load(ref head.Next);
        if (head == _stub)
        {
            if (next == null)
            {
                ProtocolCoverage.Reached(Atomic.Peek(ref _tail) == _stub ? "mailbox.dequeue-empty" : "mailbox.dequeue-first-link-pending");
                return null;
            }
            _head = next;
            head = next;
            next = Atomic.Load(ref next.Next);
        }
        if (next != null)
        {
            ProtocolCoverage.Reached("mailbox.dequeue-one-of-many");
            _head = next;
            Atomic.Store(ref head.Next, null);
            return head;
        }
        // head is the last linked node: either the real last message, or a
        // producer has exchanged the tail and not linked yet.
        if (head != Atomic.Load(ref _tail))
        {
            ProtocolCoverage.Reached("mailbox.dequeue-last-link-pending");
            return null;
        }
        Enqueue(_stub);
        next = Atomic.Load(ref head.Next);
        if (next != null)
        {
            ProtocolCoverage.Reached("mailbox.dequeue-last");
            _head = next;
            Atomic.Store(ref head.Next, null);
            return head;
        }
        ProtocolCoverage.Reached("mailbox.dequeue-last-raced-producer");
        return null;
    }

    /// <summary>True when no message is queued or being enqueued. Owning CPU
    /// only (reads the consumer's head); a racing producer makes it false from
    /// the moment its tail exchange is visible.</summary>
    public bool IsEmpty => _head == _stub && Atomic.Load(ref _tail) == _stub;

    // The queue's permanent placeholder node; never delivered.
    private sealed class StubMessage : Message
    {
    }
}
