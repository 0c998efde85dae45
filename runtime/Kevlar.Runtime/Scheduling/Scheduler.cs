// Scheduler: the per-CPU mailbox scheduler (DESIGN.md principle 3).
//
// Each CPU owns a MailboxQueue; Send puts a message into the mailbox of the
// target's home CPU and wakes that CPU if it sleeps. Each CPU runs RunLoop:
// safepoint poll, drain a batch of its mailbox delivering each message to its
// target's Receive, and halt when idle. This file: construction, registration,
// Send and delivery. Scheduler.Idle.cs: the loop and the sleep/wake protocol.
// Scheduler.Migration.cs: moving an actor between CPUs.
//
// Guarantees: every sent message is delivered exactly once, on its target's
// current home CPU, and messages from one sender to one receiver are delivered
// in send order (also across migrations).
//
// State (guards): _cpus[i] per CpuState; _externalSends [Shared].
using System;
using System.Threading;
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Threading;

namespace Kevlar.Runtime.Scheduling;

public sealed partial class Scheduler
{
    /// <summary>Most messages one RunOnce delivers before returning, so the
    /// loop reaches its safepoint regularly even under a flood.</summary>
    public const int BatchLimit = 64;

    private readonly ICpuPlatform _platform;
    private readonly CpuState[] _cpus;
    private readonly SafepointCoordinator _safepoint;
    [Shared] private int _externalSends; // Sends in progress from outside any CPU

    public Scheduler(ICpuPlatform platform) : this(platform, null)
    {
    }

    public Scheduler(ICpuPlatform platform, ISafepointClient? safepointClient)
    {
        _platform = platform;
        int n = platform.CpuCount;
        _cpus = new CpuState[n];
        for (int i = 0; i < n; i++)
        {
            _cpus[i] = new CpuState();
        }
        _safepoint = new SafepointCoordinator(this, n, safepointClient);
    }

    public ICpuPlatform Platform => _platform;

    public int CpuCount => _cpus.Length;

    public SafepointCoordinator Safepoint => _safepoint;

    /// <summary>Homes <paramref name="a"/> on <paramref name="homeCpu"/>. Call once
    /// per actor, before any message is sent to it.</summary>
    public void Register(Actor a, int homeCpu)
    {
        Kassert.True(a.SchedulerRef == null, "RegisterOnce: an actor is registered twice");
        Kassert.True(homeCpu >= 0 && homeCpu < _cpus.Length, "RegisterHome: home CPU out of range");
        a.SchedulerRef = this;
        Atomic.Exchange(ref a.HomeCpu, homeCpu);
    }

    /// <summary>Queues <paramref name="m"/> for <paramref name="target"/>; callable
    /// from any CPU, inside or outside a handler, and from host threads.</summary>
    public void Send(Actor target, Message m)
    {
        Kassert.True(target.SchedulerRef == this, "SendToRegistered: target is not registered here");
        Kassert.True(Atomic.Exchange(ref m.InFlight, 1) == 0, "SendWhileInFlight: a message is sent again before it was delivered");
        SendClaimed(target, m);
    }

    /// <summary>Sends a reusable <paramref name="m"/> unless it is queued already (then the
    /// queued one serves, and false is returned): for a "run again" message that several
    /// CPUs may ask for at once.</summary>
    public bool SendIfIdle(Actor target, Message m)
    {
        Kassert.True(target.SchedulerRef == this, "SendToRegistered: target is not registered here");
        if (Atomic.CompareExchange(ref m.InFlight, 1, 0) != 0) return false;
        SendClaimed(target, m);
        return true;
    }

    // Queues m, whose InFlight the caller set.
    private void SendClaimed(Actor target, Message m)
    {
        m.TargetActor = target;
        m.Forwarded = false;
        int me = _platform.CurrentCpu;
        BeginSend(me);
        // Window: the home may change after this read (see Migration.cs).
        int home = target.Home;
        Enqueue(home, m);
        EndSend(me);
    }

    /// <summary>Delivers up to BatchLimit messages from <paramref name="cpu"/>'s
    /// mailbox; returns whether it took any message. Call on that CPU only.</summary>
    public bool RunOnce(int cpu)
    {
        MailboxQueue q = _cpus[cpu].Mailbox;
        int n = 0;
        // A pending collection ends the batch: the heap asks for one before it runs out,
        // and only a return to the loop's safepoint lets it start.
        while (n < BatchLimit && !_safepoint.IsPending)
        {
            Message? m = q.TryDequeue();
            if (m == null)
            {
                break;
            }
            n++;
            MigrationMarker? mk = m as MigrationMarker;
            if (mk != null)
            {
                if (!OnMarker(cpu, mk))
                {
                    break;
                }
                continue;
            }
            Dispatch(cpu, m);
        }
        return n > 0;
    }

    /// <summary>True when <paramref name="cpu"/>'s mailbox holds no message.
    /// Exact only on that CPU or when the system is quiescent.</summary>
    public bool MailboxEmpty(int cpu) => _cpus[cpu].Mailbox.IsEmpty;

    /// <summary>The actor whose handler runs on <paramref name="cpu"/> now, or null; read from
    /// another CPU it is a hint for a hang report, not a fact to act on.</summary>
    public Actor? RunningOn(int cpu) => Volatile.Read(ref _cpus[cpu].Running);

    /// <summary>A snapshot of <paramref name="cpu"/>'s counters.</summary>
    public CpuStats GetStats(int cpu)
    {
        CpuState c = _cpus[cpu];
        CpuStats s;
        s.Delivered = Volatile.Read(ref c.Delivered);
        s.WakeupsSent = Atomic.Load(ref c.WakeupsSent);
        s.Sleeps = Volatile.Read(ref c.Sleeps);
        s.Forwarded = Volatile.Read(ref c.Forwarded);
        s.Parks = Volatile.Read(ref c.Parks);
        return s;
    }

    // Routes a dequeued message: forward if the actor moved away, hold if it is
    // arriving here ahead of older forwarded messages, else deliver.
    private void Dispatch(int cpu, Message m)
    {
        Actor a = m.TargetActor!;
        if (a.Home != cpu)
        {
            Forward(cpu, a, m);
            return;
        }
        bool holding = Atomic.Load(ref a.Holding);
        if (holding && !m.Forwarded)
        {
            ProtocolCoverage.Reached("migration.hold-direct");
            a.Hold(m);
            return;
        }
        if (holding)
        {
            ProtocolCoverage.Reached("migration.deliver-forwarded-while-holding");
        }
        // M5: until the handover, the new home holds every message sent after the move (Holding is
        // set before the new home is published), so one delivered here would overtake an older one
        // of its sender still on its way through the old home. (A check only: Peek, no scheduling point.)
        Kassert.True(m.Forwarded || Atomic.Peek(ref a.Migrating) == 0,
            "DirectOnlyAfterHandover: a message sent after a migration began was delivered before the handover");
        Deliver(cpu, a, m);
    }

    // Runs the handler; the only place Receive is called.
    private void Deliver(int cpu, Actor a, Message m)
    {
        Kassert.True(a.Home == cpu, "DeliverOnHome: a handler runs on a CPU that is not the actor's home");
        Kassert.True(!_safepoint.IsCollecting, "NoHandlerDuringCollect: a handler runs while the heap is collected");
        CpuState c = _cpus[cpu];
        c.Delivered++;
        Atomic.Store(ref m.InFlight, 0);
        c.Running = a;
        a.Receive(m);
        c.Running = null;
    }

    // Puts m in cpu's mailbox and wakes cpu if it announced sleep, or brings it back from
    // user code.
    private void Enqueue(int cpu, Message m)
    {
        CpuState c = _cpus[cpu];
        if (SeededBugs.WakeBeforeEnqueue)
        {
            Kick(cpu);
            c.Mailbox.Enqueue(m);
            return;
        }
        // The enqueue's tail exchange is a full fence: the sleep flag read in
        // Kick cannot move before it (see Scheduler.Idle.cs).
        c.Mailbox.Enqueue(m);
        Kick(cpu);
        _platform.PreemptUser(cpu);
    }

    // Marks the calling CPU as inside Send (odd SendSeq); the fetch-add is a
    // full fence so the home read that follows cannot pass it.
    private void BeginSend(int me)
    {
        if (me < 0)
        {
            ProtocolCoverage.Reached("mailbox.send-from-outside-cpu");
            Atomic.FetchAdd(ref _externalSends, 1);
            return;
        }
        Atomic.FetchAdd(ref _cpus[me].SendSeq, 1);
    }

    private void EndSend(int me)
    {
        if (me < 0)
        {
            Atomic.FetchAdd(ref _externalSends, -1);
            return;
        }
        Atomic.FetchAdd(ref _cpus[me].SendSeq, 1);
    }
}
