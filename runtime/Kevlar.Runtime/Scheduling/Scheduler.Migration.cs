// Scheduler.Migration: moving an actor from its home O to a new CPU N.
//
// The hazard: Send reads the target's home and then enqueues; a sender that
// read O just before the move enqueues into O's mailbox afterwards ("stale"),
// while the same sender's next message goes straight to N. Protocol:
//   M1 (on O, in Migrate) Migrating=1, ForwardingFrom=O, Holding=true; publish
//      Home=N with a full fence; snapshot every CPU's SendSeq; enqueue a
//      marker (stage AwaitGrace) into O's own mailbox.
//   M2 (O) From now on O forwards every message for the actor that it dequeues
//      to N, marked Forwarded, in dequeue order.
//   M3 (O, marker AwaitGrace) Grace period: wait (re-enqueue the marker) until
//      every CPU that was inside Send at M1 (odd SendSeq) has left it, and no
//      host-thread Send is in progress. Senders bump SendSeq with a full fence
//      before reading the home, so any Send not covered read Home=N. After the
//      grace period no stale enqueue into O can still happen; re-enqueue the
//      marker as Drain, behind every stale message.
//   M4 (O, marker Drain) All stale messages have been forwarded: ForwardingFrom
//      = -1; send the marker to N as Handover (N's mailbox is FIFO per
//      producer, so it arrives after every forwarded message).
//   M5 (N) While Holding, N delivers Forwarded messages at once and holds
//      direct ones (sent after the move) in arrival order. On Handover it
//      clears Holding and Migrating and dispatches the held messages in order.
// Per sender, all messages sent before the move precede all sent after it;
// the first group reaches N only forwarded (before Handover), the second is
// held until Handover: FIFO per pair holds. Nothing is delivered twice (each
// message is in one place at a time) or on a stale home (Deliver asserts
// Home == cpu; O only forwards). A message reaching a CPU that is neither the
// actor's home nor forwarding for it fails ForwardOnlyWhileMigrating.
// Migrate is refused (returns false) while an earlier migration of the same
// actor has not reached M5.
using System.Threading;
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Threading;

namespace Kevlar.Runtime.Scheduling;

public sealed partial class Scheduler
{
    /// <summary>Moves <paramref name="a"/> to <paramref name="newCpu"/>. Call on the
    /// actor's home CPU (inside its handler or between messages). Returns false,
    /// doing nothing, if newCpu is the home or a migration is still in progress.</summary>
    public bool Migrate(Actor a, int newCpu)
    {
        int me = a.Home;
        Kassert.True(_platform.CurrentCpu == me, "MigrateFromHome: Migrate called off the actor's home CPU");
        Kassert.True(newCpu >= 0 && newCpu < _cpus.Length, "MigrateTarget: new CPU out of range");
        if (newCpu == me || Atomic.Load(ref a.Migrating) != 0)
        {
            ProtocolCoverage.Reached(newCpu == me ? "migration.refused-same-cpu" : "migration.refused-in-progress");
            return false;
        }
        ProtocolCoverage.Reached("migration.start");
        Atomic.Store(ref a.Migrating, 1);
        Atomic.Store(ref a.ForwardingFrom, me);
        Atomic.Store(ref a.Holding, !SeededBugs.TwoStepMigration);
        Atomic.Exchange(ref a.HomeCpu, newCpu);
        int[] snapshot = new int[_cpus.Length];
        for (int i = 0; i < snapshot.Length; i++)
        {
            snapshot[i] = Atomic.Load(ref _cpus[i].SendSeq);
        }
        Enqueue(me, new MigrationMarker(a, me, newCpu, snapshot));
        return true;
    }

    // Advances a migration marker; returns false when RunOnce should stop this
    // batch (the marker went back to the tail to wait for the grace period).
    private bool OnMarker(int cpu, MigrationMarker mk)
    {
        if (mk.Stage == MigrationMarker.AwaitGrace)
        {
            bool elapsed = SeededBugs.MigrateWithoutGrace || GraceElapsed(mk.SendSeqSnapshot);
            ProtocolCoverage.Reached(elapsed ? "migration.grace-elapsed" : "migration.grace-waits");
            if (elapsed)
            {
                mk.Stage = MigrationMarker.Drain;
            }
            else
            {
                // A send on another CPU is still inside Send: nothing here changes until it steps, and
                // the marker comes round again at once when the mailbox holds nothing else.
                _platform.Pause();
            }
            Enqueue(cpu, mk);
            return elapsed;
        }
        if (mk.Stage == MigrationMarker.Drain)
        {
            Atomic.Store(ref mk.Subject.ForwardingFrom, -1);
            mk.Stage = MigrationMarker.Handover;
            Enqueue(mk.NewCpu, mk);
            return true;
        }
        Handover(cpu, mk.Subject);
        return true;
    }

    // True when no Send that might have read the old home is still running.
    private bool GraceElapsed(int[] snapshot)
    {
        for (int i = 0; i < snapshot.Length; i++)
        {
            int s = snapshot[i];
            if ((s & 1) != 0 && Atomic.Load(ref _cpus[i].SendSeq) == s)
            {
                return false;
            }
        }
        return Atomic.Load(ref _externalSends) == 0;
    }

    // M5: the new home stops holding and dispatches what it held, in order.
    // Dispatch (not Deliver) because a released handler may migrate again.
    private void Handover(int cpu, Actor a)
    {
        Kassert.True(a.Home == cpu, "HandoverAtNewHome: handover reached a CPU that is not the actor's home");
        Atomic.Store(ref a.Holding, false);
        Atomic.Store(ref a.Migrating, 0);
        Message? m = a.TakeHeld();
        ProtocolCoverage.Reached(m != null ? "migration.handover-releases-held" : "migration.handover-nothing-held");
        while (m != null)
        {
            Message? next = Atomic.Load(ref m.Next);
            Atomic.Store(ref m.Next, null);
            Dispatch(cpu, m);
            m = next;
        }
    }

    // M2: passes a message for an actor that moved away on to its home.
    private void Forward(int cpu, Actor a, Message m)
    {
        Kassert.True(Atomic.Load(ref a.ForwardingFrom) == cpu, "ForwardOnlyWhileMigrating: a message reached a stale home after the handover");
        _cpus[cpu].Forwarded++;
        ProtocolCoverage.Reached("migration.forward-stale");
        m.Forwarded = true;
        Enqueue(a.Home, m);
    }
}
