// Timers on metal: a deadline queue per CPU (sorted, earliest first), touched
// only by its own CPU, and the local APIC's one-shot timer programmed for the
// earliest of the queue's head and the running thread's time slice. The timer
// interrupt (from idle hlt or from user mode) ends in Expire, which sends
// every due message through the scheduler.
//
// State: s_queues[cpu] and CpuLocal.TimerDeadline belong to that CPU; kernel
// code runs with interrupts off, so Expire never interleaves with SendAt. A
// handle in a queue may be called off from any CPU (TimerHandle); its owner
// drops it at the deadline or at the next sweep, whichever is first.
using System.Collections.Generic;
using Kevlar.Drivers.X86_64.Apic;
using Kevlar.Drivers.X86_64.Cpu;
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Drivers.X86_64.Timing;

// Safety: reads and writes only the calling CPU's CpuLocal.
public sealed unsafe class MetalTimers : ITimerService
{
    // Per CPU: its queue, and how many handles it took since it last dropped called-off ones.
    private static List<TimerHandle>[]? s_queues;
    private static int[]? s_insertsSinceSweep;
    private static Scheduler? s_scheduler;

    // Called-off handles are dropped every this many insertions (a pass over the queue), so the
    // queue holds at most this many more than it has armed timers, plus what is called off since.
    private const int SweepEvery = 64;

    public MetalTimers(Scheduler scheduler, int cpuCount)
    {
        s_scheduler = scheduler;
        var queues = new List<TimerHandle>[cpuCount];
        for (int i = 0; i < cpuCount; i++) queues[i] = new List<TimerHandle>();
        s_queues = queues;
        s_insertsSinceSweep = new int[cpuCount];
    }

    public void SendAt(ulong deadlineNanoseconds, Actor target, Message message) => Start(deadlineNanoseconds, target, message);

    public TimerHandle Start(ulong deadlineNanoseconds, Actor target, Message message)
    {
        var handle = new TimerHandle(deadlineNanoseconds, target, message);
        if (deadlineNanoseconds <= Clock.NowNanoseconds)
        {
            if (handle.TryFire(out Actor to, out Message m)) s_scheduler!.Send(to, m);
            return handle;
        }
        int cpu = CpuLocal.Current->Index;
        List<TimerHandle> q = s_queues![cpu];
        if (++s_insertsSinceSweep![cpu] >= SweepEvery)
        {
            s_insertsSinceSweep[cpu] = 0;
            for (int i = q.Count - 1; i >= 0; i--) if (q[i].IsCancelled) q.RemoveAt(i);
        }
        int at = q.Count;
        while (at > 0 && q[at - 1].Deadline > deadlineNanoseconds) at--;
        q.Insert(at, handle);
        Arm(deadlineNanoseconds);
        return handle;
    }

    /// <summary>Programs this CPU's one-shot timer for <paramref name="deadline"/> unless an
    /// earlier deadline is programmed already.</summary>
    public static void Arm(ulong deadline)
    {
        CpuLocal* cpu = CpuLocal.Current;
        if (cpu->TimerDeadline != 0 && cpu->TimerDeadline <= deadline) return;
        ulong now = Clock.NowNanoseconds;
        ulong ns = deadline > now ? deadline - now : 1;
        ulong ticks = Clock.ApicTimerPerSecond / 16 * ns / 1_000_000_000;
        if (ns > 1_000_000_000) ticks = Clock.ApicTimerPerSecond / 16 * (ns / 1000) / 1_000_000;
        cpu->TimerDeadline = deadline;
        LocalApic.ArmOneShot(ticks == 0 ? 1u : ticks > 0xFFFF_FFFF ? 0xFFFF_FFFFu : (uint)ticks);
    }

    /// <summary>The timer fired on this CPU: send what is due, program the next deadline.</summary>
    public static void Expire()
    {
        CpuLocal* cpu = CpuLocal.Current;
        cpu->TimerDeadline = 0;
        if (s_queues == null) return;
        List<TimerHandle> q = s_queues[cpu->Index];
        ulong now = Clock.NowNanoseconds;
        while (q.Count > 0 && q[0].Deadline <= now)
        {
            TimerHandle h = q[0];
            q.RemoveAt(0);
            if (h.TryFire(out Actor target, out Message message)) s_scheduler!.Send(target, message);
        }
        if (q.Count > 0) Arm(q[0].Deadline);
    }
}
