// CpuState: the scheduler's per-CPU record.
//
// State (guards):
//   Mailbox    enqueue: any CPU; dequeue: this CPU.
//   Sleeping   non-zero while this CPU announced it may halt: 1 idle, 2 parked
//              at the collector's safepoint. Set by this CPU with an exchange;
//              cleared by this CPU, or by exactly one waker whose
//              compare-exchange to 0 wins and who then sends the wakeup.
//   SendSeq    odd while this CPU is inside Send (between reading the target's
//              home and finishing the enqueue); written by this CPU, read by a
//              migrating CPU to detect the end of the grace period.
//   Running    the actor whose handler runs on this CPU, or null: written by this
//              CPU around each handler, read racily by a hang report.
//   counters   Delivered, Sleeps, Forwarded, Parks: this CPU only;
//              WakeupsSent: any waker, by Atomic.FetchAdd.
// Sleeping, SendSeq and WakeupsSent are [Shared] (Atomic only). The other
// counters are statistics: written by this CPU alone, read racily by GetStats
// for a snapshot; no decision depends on them.
using Kevlar.Runtime.Threading;

namespace Kevlar.Runtime.Scheduling;

internal sealed class CpuState
{
    internal readonly MailboxQueue Mailbox = new MailboxQueue();
    [Shared] internal int Sleeping;
    [Shared] internal int SendSeq;

    internal Actor? Running;

    internal long Delivered;
    [Shared] internal long WakeupsSent;
    internal long Sleeps;
    internal long Forwarded;
    internal long Parks;
}
