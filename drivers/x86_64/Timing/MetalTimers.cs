// Timers on metal: a deadline queue per CPU (TimerQueue, a heap by deadline),
// touched only by its own CPU, and the local APIC's one-shot timer programmed for the
// earliest of the queue's head and the running thread's time slice. The timer
// interrupt (from idle hlt or from user mode) ends in Expire, which sends
// every due message through the scheduler.
//
// State: s_queues[cpu] and CpuLocal.TimerDeadline belong to that CPU; kernel
// code runs with interrupts off, so Expire never interleaves with SendAt. A
// handle in a queue may be called off from any CPU (TimerHandle); its owner
// drops it when it comes to the top or at the queue's next sweep.
using Kevlar.Drivers.X86_64.Apic;
using Kevlar.Drivers.X86_64.Cpu;
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Drivers.X86_64.Timing;

// Safety: reads and writes only the calling CPU's CpuLocal.
public sealed unsafe class MetalTimers : ITimerService
{
    private static TimerQueue[]? s_queues;
    private static Scheduler? s_scheduler;

    public MetalTimers(Scheduler scheduler, int cpuCount)
    {
        s_scheduler = scheduler;
        var queues = new TimerQueue[cpuCount];
        for (int i = 0; i < cpuCount; i++) queues[i] = new TimerQueue();
        s_queues = queues;
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
        s_queues![CpuLocal.Current->Index].Add(handle);
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
        TimerQueue q = s_queues[cpu->Index];
        ulong now = Clock.NowNanoseconds;
        while (q.Count > 0 && q.Earliest.Deadline <= now)
        {
            TimerHandle h = q.TakeEarliest();
            if (h.TryFire(out Actor target, out Message message)) s_scheduler!.Send(target, message);
        }
        // A called-off head would only wake this CPU for nothing.
        while (q.Count > 0 && q.Earliest.IsCancelled) q.TakeEarliest();
        if (q.Count > 0) Arm(q.Earliest.Deadline);
    }
}
