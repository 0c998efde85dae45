// The panic report's "recent syscalls" section: each CPU's SyscallRing,
// oldest first — "pid P tid T nr N name (a0, a1, a2) = result" — so a failure
// under the fuzzer shows the calls that led to it. Written like CpuStates:
// numbers and literals only, no allocation, the console held by the caller.
using Kevlar.Drivers.X86_64.Console;
using Kevlar.Runtime.Diagnostics;

namespace Kevlar.Drivers.X86_64.Diagnostics;

public static class SyscallRingReport
{
    public static void WriteAll()
    {
        for (int cpu = 0; cpu < SyscallRing.Cpus; cpu++)
        {
            int filled = SyscallRing.Filled(cpu);
            if (filled == 0) continue;
            SerialConsole.Write("  cpu ");
            SerialConsole.WriteDec(cpu);
            SerialConsole.Write(" recent syscalls, oldest first:\n");
            for (int i = 0; i < filled; i++)
            {
                SyscallRing.Entry e = SyscallRing.Read(cpu, i);
                SerialConsole.Write("    pid ");
                SerialConsole.WriteDec(e.Pid);
                SerialConsole.Write(" tid ");
                SerialConsole.WriteDec(e.Tid);
                SerialConsole.Write(" nr ");
                SerialConsole.WriteDec(e.Number);
                SerialConsole.Write(" ");
                SerialConsole.Write(SyscallRing.NameOf?.Invoke(e.Number) ?? "unassigned");
                Argument(" (", e.A0);
                Argument(", ", e.A1);
                Argument(", ", e.A2);
                SerialConsole.Write(")");
                if (e.Result == SyscallRing.Pending) SerialConsole.Write(" unfinished\n");
                else
                {
                    SerialConsole.Write(" = ");
                    SerialConsole.WriteDec(e.Result);
                    SerialConsole.Write("\n");
                }
            }
        }
    }

    private static void Argument(string before, ulong value)
    {
        SerialConsole.Write(before);
        SerialConsole.WriteHex(value);
    }
}
