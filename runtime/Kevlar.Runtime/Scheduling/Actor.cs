// Actor: an owner of kernel state, run to completion one message at a time on
// its home CPU.
//
// State (guards):
//   _scheduler  immutable after Scheduler.Register.
//   _home       written only by the current home CPU (Register, Migrate) with a
//               full fence; read by any sender to pick a mailbox.
//   migration   Migrating/Holding/ForwardingFrom/Held* follow the protocol in
//               Scheduler.Migration.cs: written by the old home before the home
//               is published, then by the new home only (ForwardingFrom is the
//               old home's until its Drain step). Migrating, Holding and
//               ForwardingFrom are read on both homes around the publication,
//               so they are [Shared]: a write moved to the wrong side of the
//               publication is then a race the explorer can show.
// A subclass's own fields are private state touched only inside Receive.
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Threading;

namespace Kevlar.Runtime.Scheduling;

public abstract class Actor
{
    internal Scheduler? SchedulerRef;
    [Shared] internal int HomeCpu = -1;

    // Migration state; see Scheduler.Migration.cs.
    [Shared] internal int Migrating;          // 1 from Migrate until the new home's Handover
    [Shared] internal bool Holding;           // new home holds direct messages until Handover
    [Shared] internal int ForwardingFrom = -1; // old home that still forwards for this actor
    internal Message? HeldHead;      // direct messages held at the new home (FIFO)
    internal Message? HeldTail;

    /// <summary>The CPU whose mailbox receives this actor's messages; -1 before
    /// registration.</summary>
    public int Home => Atomic.Load(ref HomeCpu);

    /// <summary>The scheduler this actor is registered with, or null.</summary>
    public Scheduler? Scheduler => SchedulerRef;

    /// <summary>What a hang or panic report calls this actor (a literal: the report may run
    /// while another CPU is stuck inside this actor, so it must not allocate or lock).</summary>
    public virtual string DiagnosticName => "actor";

    /// <summary>A number that tells this actor apart in a report (a thread's tid), or -1.</summary>
    public virtual long DiagnosticId => -1;

    /// <summary>Handles one message, run to completion on <see cref="Home"/>. It
    /// never blocks or spins on another actor; replies are new messages.</summary>
    protected internal abstract void Receive(Message m);

    /// <summary>Sends <paramref name="m"/> to <paramref name="target"/> through
    /// this actor's scheduler. Sending from an actor that was never registered
    /// is a kernel bug: the message would be lost.</summary>
    protected void Send(Actor target, Message m)
    {
        Scheduler? s = SchedulerRef;
        Kassert.True(s != null, "SendFromRegistered: an unregistered actor sends a message");
        s!.Send(target, m);
    }

    // Appends to the held list; only the new home calls this.
    internal void Hold(Message m)
    {
        Atomic.Store(ref m.Next, null);
        if (HeldTail == null)
        {
            HeldHead = m;
        }
        else
        {
            Atomic.Store(ref HeldTail.Next, m);
        }
        HeldTail = m;
    }

    // Detaches the held list in arrival order; only the new home calls this.
    internal Message? TakeHeld()
    {
        Message? h = HeldHead;
        HeldHead = null;
        HeldTail = null;
        return h;
    }
}
