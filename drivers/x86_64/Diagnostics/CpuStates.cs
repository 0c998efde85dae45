// One line per CPU for a hang or panic report: what it is doing (halted, in
// user mode, in the kernel), when it last passed its scheduler loop, the actor
// whose handler it runs, the locks it holds and the lock it spins for. Read
// racily from CPUs that may be stuck: only loads, literals and numbers, no
// allocation and no lock but the console the caller holds.
using System.Threading;
using Kevlar.Drivers.X86_64.Console;
using Kevlar.Drivers.X86_64.Cpu;
using Kevlar.Drivers.X86_64.Timing;
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Threading;

namespace Kevlar.Drivers.X86_64.Diagnostics;

// Safety: reads CpuLocal structs that live for the whole run, with volatile loads.
public static unsafe class CpuStates
{
    /// <summary>Writes every CPU's line; <paramref name="self"/> is the reporting CPU and
    /// <paramref name="selfRole"/> what it is doing (the caller holds the console).</summary>
    public static void WriteAll(CpuLocal* self, string selfRole)
    {
        ulong now = Clock.NowNanoseconds;
        for (int i = 0; i < CpuLocal.Count; i++)
        {
            CpuLocal* c = CpuLocal.All[i];
            if (c == null) continue;
            SerialConsole.Write("  cpu ");
            SerialConsole.WriteDec(i);
            SerialConsole.Write(c == self ? selfRole : Volatile.Read(ref c->Halted) != 0 ? ": halted"
                : Volatile.Read(ref c->InUser) != 0 ? ": in user mode" : ": in the kernel");
            SerialConsole.Write(", last loop pass ");
            ulong at = Volatile.Read(ref c->LoopPassAt);
            SerialConsole.WriteDec(at == 0 || at > now ? 0 : (long)((now - at) / 1_000_000));
            SerialConsole.Write(" ms ago");
            Scheduler? scheduler = KernelMain.Scheduler;
            Actor? running = scheduler == null ? null : scheduler.RunningOn(i);
            if (running != null)
            {
                SerialConsole.Write(", running ");
                SerialConsole.Write(running.DiagnosticName);
                if (running.DiagnosticId >= 0) { SerialConsole.Write(" "); SerialConsole.WriteDec(running.DiagnosticId); }
            }
            uint held = LockWatch.HeldBy(i);
            if (held != 0)
            {
                SerialConsole.Write(", holds");
                for (int k = 1; k < LockClasses.Count; k++)
                    if ((held & (1u << k)) != 0) { SerialConsole.Write(" "); SerialConsole.Write(LockClasses.Name((LockClass)k)); }
            }
            LockClass waiting = LockWatch.WaitingOn(i);
            if (waiting != 0) { SerialConsole.Write(", waiting for "); SerialConsole.Write(LockClasses.Name(waiting)); }
            SerialConsole.Write("\n");
        }
    }
}
