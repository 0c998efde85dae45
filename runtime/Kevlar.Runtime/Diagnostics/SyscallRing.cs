// SyscallRing: the last system calls each CPU ran — pid, tid, number and
// name, the first three arguments and the result — for the panic and hang reports, so
// a fuzz failure shows the calls that led to it. One ring of PerCpu entries
// per CPU, written only by that CPU (at dispatch and when the call returns)
// with plain stores, no allocation; the reports read them racily from the
// failing CPU, as they read the per-CPU state (a torn entry there is a
// diagnostic blemish, not a fault).
namespace Kevlar.Runtime.Diagnostics;

public static class SyscallRing
{
    public const int PerCpu = 16;
    /// <summary>The result of a call that has not returned (it waits, or the CPU failed in it).</summary>
    public const long Pending = long.MinValue;

    public struct Entry
    {
        public int Pid, Tid;
        public long Number, Result;
        /// <summary>The call's name (a literal of the syscall table), or null.</summary>
        public string? Name;
        public ulong A0, A1, A2;
    }

    // Replaced (never shrunk) only by Initialize; each method works on the arrays it read once.
    private static Entry[] s_entries = new Entry[0];
    private static long[] s_count = new long[0];

    /// <summary>Makes rings for <paramref name="cpus"/> CPUs (at start-up, before any call; a
    /// second host in the same process, as the host tests make, keeps the larger set).</summary>
    public static void Initialize(int cpus)
    {
        if (cpus <= s_count.Length) return;
        s_entries = new Entry[cpus * PerCpu];
        s_count = new long[cpus];
    }

    public static int Cpus => s_count.Length;

    /// <summary>Records a call starting on <paramref name="cpu"/>.</summary>
    public static void Enter(int cpu, int pid, int tid, long number, string? name, ulong a0, ulong a1, ulong a2)
    {
        Entry[] entries = s_entries;
        long[] count = s_count;
        if ((uint)cpu >= (uint)count.Length || entries.Length != count.Length * PerCpu) return;
        ref Entry e = ref entries[cpu * PerCpu + (int)(count[cpu] % PerCpu)];
        e.Pid = pid;
        e.Tid = tid;
        e.Number = number;
        e.Name = name;
        e.A0 = a0;
        e.A1 = a1;
        e.A2 = a2;
        e.Result = Pending;
        count[cpu]++;
    }

    /// <summary>The call <paramref name="cpu"/> recorded last returned <paramref name="result"/>.</summary>
    public static void Exit(int cpu, long result)
    {
        Entry[] entries = s_entries;
        long[] count = s_count;
        if ((uint)cpu >= (uint)count.Length || entries.Length != count.Length * PerCpu || count[cpu] == 0) return;
        entries[cpu * PerCpu + (int)((count[cpu] - 1) % PerCpu)].Result = result;
    }

    /// <summary>How many of <paramref name="cpu"/>'s entries are filled (at most PerCpu).</summary>
    public static int Filled(int cpu)
    {
        long[] count = s_count;
        if ((uint)cpu >= (uint)count.Length) return 0;
        return count[cpu] < PerCpu ? (int)count[cpu] : PerCpu;
    }

    /// <summary><paramref name="cpu"/>'s entry <paramref name="i"/>, oldest first (0 ≤ i &lt; Filled);
    /// an empty entry when out of range.</summary>
    public static Entry Read(int cpu, int i)
    {
        Entry[] entries = s_entries;
        long[] count = s_count;
        if ((uint)cpu >= (uint)count.Length || entries.Length != count.Length * PerCpu) return default;
        long filled = count[cpu] < PerCpu ? count[cpu] : PerCpu;
        if (i < 0 || i >= filled) return default;
        return entries[cpu * PerCpu + (int)((count[cpu] - filled + i) % PerCpu)];
    }
}
