// The watchdog: finds a CPU stuck in kernel code. Every pass of a CPU's
// scheduler loop stamps CpuLocal.LoopPassAt; a CPU that passes its loop (or
// wakes from idle, which arms a timer for it) looks, at most once per period
// across all CPUs, for another CPU that is neither halted nor running user
// code and has not passed its loop for the timeout. That CPU has interrupts
// off (kernel code always has), so the finder sends it an NMI, whose panic
// report shows where it is (./kevlar decode names the function), and halts.
// Timeout: kevlar.watchdog=SECONDS (default 10; 0 turns it off).
using System.Threading;
using Kevlar.Drivers.X86_64.Apic;
using Kevlar.Drivers.X86_64.Console;
using Kevlar.Drivers.X86_64.Cpu;
using Kevlar.Drivers.X86_64.Timing;
using Kevlar.Runtime.Metal;

namespace Kevlar.Drivers.X86_64.Diagnostics;

// Safety: reads other CPUs' CpuLocal fields (all live for the whole run) with volatile loads.
public static unsafe class Watchdog
{
    /// <summary>The timeout when the command line names none.</summary>
    public const ulong DefaultTimeoutNanoseconds = 10_000_000_000;

    /// <summary>How long a CPU may stay in kernel code without passing its loop; 0: off (until
    /// KernelMain sets it from the command line).</summary>
    public static ulong TimeoutNanoseconds;
    private static long s_nextCheck;
    private static int s_fired;

    /// <summary>Whether the watchdog sent an NMI (the NMI's report then says why).</summary>
    public static bool Fired => Volatile.Read(ref s_fired) != 0;

    private static ulong Period => TimeoutNanoseconds / 2;

    /// <summary>A pass of this CPU's scheduler loop.</summary>
    public static void LoopPassed()
    {
        if (TimeoutNanoseconds == 0) return;
        ulong now = Clock.NowNanoseconds;
        Volatile.Write(ref CpuLocal.Current->LoopPassAt, now);
        long next = Volatile.Read(ref s_nextCheck);
        if ((long)now < next || Interlocked.CompareExchange(ref s_nextCheck, (long)(now + Period), next) != next) return;
        Check(now);
    }

    /// <summary>This CPU is about to halt: its timer brings it back to look within a period.</summary>
    public static void BeforeHalt()
    {
        if (TimeoutNanoseconds != 0) MetalTimers.Arm(Clock.NowNanoseconds + Period);
    }

    private static void Check(ulong now)
    {
        CpuLocal* self = CpuLocal.Current;
        for (int i = 0; i < CpuLocal.Count; i++)
        {
            CpuLocal* c = CpuLocal.All[i];
            if (c == null || c == self || Volatile.Read(ref c->Halted) != 0 || Volatile.Read(ref c->InUser) != 0) continue;
            ulong at = Volatile.Read(ref c->LoopPassAt);
            // Not started yet, or stamped by a TSC a little ahead of this CPU's.
            if (at == 0 || at >= now || now - at < TimeoutNanoseconds) continue;
            Fire(c, now - at);
            return;
        }
    }

    private static void Fire(CpuLocal* stuck, ulong nanoseconds)
    {
        if (Interlocked.Exchange(ref s_fired, 1) != 0) return;
        SerialConsole.BeginForPanic(CpuLocal.Current->Index);
        SerialConsole.Write("\nkevlar watchdog: cpu ");
        SerialConsole.WriteDec(stuck->Index);
        SerialConsole.Write(" has not passed its scheduler loop for ");
        SerialConsole.WriteDec((long)(nanoseconds / 1_000_000));
        SerialConsole.Write(" ms (not halted, not in user mode); an NMI asks it where it is\n");
        CpuStates.WriteAll(CpuLocal.Current, ": the watchdog");
        SyscallRingReport.WriteAll();
        LocalApic.SendNmi(stuck->ApicId);
        // The stuck CPU's report stops every CPU, this one included (it takes the halt IPI here).
        while (true) Native.StiHltCli();
    }
}
