// SyscallRing: the last system calls each CPU ran — pid, tid, number, the
// first three arguments and the result — for the panic and hang reports, so
// a fuzz failure shows the calls that led to it. One ring of PerCpu entries
// per CPU, written only by that CPU (at dispatch and when the call returns)
// with plain stores, no allocation; the reports read them racily from the
// failing CPU, as they read the per-CPU state (a torn entry there is a
// diagnostic blemish, not a fault).
using System;

namespace Kevlar.Runtime.Diagnostics;

public static class SyscallRing
{
    /// <summary>A power of two: a count's slot is count &amp; (PerCpu - 1), no division.</summary>
    public const int PerCpu = 16;
    /// <summary>The result of a call that has not returned (it waits, or the CPU failed in it).</summary>
    public const long Pending = long.MinValue;

    public struct Entry
    {
        public int Pid, Tid;
        public long Number, Result;
        public ulong A0, A1, A2;
    }

    /// <summary>A call's name for the reports (set once by the syscall table); the ring keeps
    /// numbers only, so recording a call stores no reference (no write barrier on the hot path).</summary>
    public static Func<long, string?>? NameOf;

    // The entries and each CPU's count, made together and replaced (never shrunk) only by
    // Initialize; each method reads the set once, so the two always match.
    private sealed class Rings
    {
        public readonly Entry[] Entries;
        public readonly long[] Count;

        public Rings(int cpus)
        {
            Entries = new Entry[cpus * PerCpu];
            Count = new long[cpus];
        }
    }

    // No initializer: a panic before the first Initialize reads it with no static constructor to run.
    private static Rings? s_rings;

    /// <summary>Makes rings for <paramref name="cpus"/> CPUs (at start-up, before any call; a
    /// second host in the same process, as the host tests make, keeps the larger set).</summary>
    public static void Initialize(int cpus)
    {
        if (s_rings == null || cpus > s_rings.Count.Length) s_rings = new Rings(cpus);
    }

    public static int Cpus => s_rings?.Count.Length ?? 0;

    /// <summary>Records a call starting on <paramref name="cpu"/>.</summary>
    public static void Enter(int cpu, int pid, int tid, long number, ulong a0, ulong a1, ulong a2)
    {
        Rings? r = s_rings;
        if (r == null || (uint)cpu >= (uint)r.Count.Length) return;
        long n = r.Count[cpu];
        ref Entry e = ref r.Entries[cpu * PerCpu + (int)(n & (PerCpu - 1))];
        e.Pid = pid;
        e.Tid = tid;
        e.Number = number;
        e.A0 = a0;
        e.A1 = a1;
        e.A2 = a2;
        e.Result = Pending;
        r.Count[cpu] = n + 1;
    }

    /// <summary>The call <paramref name="cpu"/> recorded last returned <paramref name="result"/>.</summary>
    public static void Exit(int cpu, long result)
    {
        Rings? r = s_rings;
        if (r == null || (uint)cpu >= (uint)r.Count.Length) return;
        long n = r.Count[cpu];
        if (n == 0) return;
        r.Entries[cpu * PerCpu + (int)((n - 1) & (PerCpu - 1))].Result = result;
    }

    /// <summary>How many of <paramref name="cpu"/>'s entries are filled (at most PerCpu).</summary>
    public static int Filled(int cpu) => Filled(s_rings, cpu);

    private static int Filled(Rings? r, int cpu)
        => r == null || (uint)cpu >= (uint)r.Count.Length ? 0 : r.Count[cpu] < PerCpu ? (int)r.Count[cpu] : PerCpu;

    /// <summary><paramref name="cpu"/>'s entry <paramref name="i"/>, oldest first (0 ≤ i &lt; Filled);
    /// an empty entry when out of range.</summary>
    public static Entry Read(int cpu, int i)
    {
        Rings? r = s_rings;
        int filled = Filled(r, cpu);
        if (r == null || i < 0 || i >= filled) return default;
        return r.Entries[cpu * PerCpu + (int)((r.Count[cpu] - filled + i) & (PerCpu - 1))];
    }
}
