// LockWatch on metal: lock order and lock timing for the kernel's spinning
// locks (SpinLock, StepLock), always on, cheap enough for every acquisition
// (a load and a compare for the order, one TSC read to take and one to let go).
//
// Order: each CPU keeps a bit per lock class it holds. Taking class c while
// holding c or anything ranked above it stops the kernel with a LockOrder
// panic whose report lists what every CPU holds — found the first time the
// bad nesting runs, not the day two CPUs interleave into the deadlock.
// Timing: per CPU and class, acquisitions, contended ones, the longest wait,
// the longest and the total hold, and holds above LongHoldNanoseconds;
// /proc/kevlar/locks sums them. A CPU's "waiting for" class is kept too, so a
// hang report shows who spins on what.
// Host twin: runtime/Kevlar.Runtime/Threading/LockWatch.Host.cs.
using System.Threading;
using Kevlar.Runtime.Metal;
using Kevlar.Runtime.Metal.Exports;

namespace Kevlar.Runtime.Threading;

// The per-CPU table is a fixed static buffer indexed by the CPU's own index
// (below MaxCpus) and a lock class (below LockClasses.Count); a CPU writes only
// its own slice; gs:[CpuIndexOffset] is that CPU's index once per-CPU state is
// installed (checked at boot by the drivers).
// Safety: indexes stay inside the static table and gs:[CpuIndexOffset] is checked at boot.
public static unsafe class LockWatch
{
    public const int MaxCpus = 64;
    /// <summary>Where the CPU's index sits in the per-CPU block gs:[0] points at.</summary>
    public const int CpuIndexOffset = 16;
    /// <summary>A hold longer than this is counted as long (TCG's slow instructions included).</summary>
    public const ulong LongHoldNanoseconds = 1_000_000;

    // Per class: acquisitions, contended, long holds, total hold ticks, max hold ticks, max wait ticks.
    private const int Acquisitions = 0, Contended = 1, LongHolds = 2, TotalHold = 3, MaxHold = 4, MaxWait = 5, FigureWords = 6;
    // Per CPU: [0] held bits, [1] class waited for, then the figures; 48 longs = 384 bytes, a whole number of cache lines.
    private const int HeldWord = 0, WaitingWord = 1, FiguresStart = 2, CpuWords = 48;

    private struct Table
    {
        public fixed long Words[MaxCpus * CpuWords];
    }

    private static Table s_table;
    private static bool s_perCpuReady;
    private static ulong s_ticksPerMicrosecond;
    private static ulong s_longHoldTicks = ulong.MaxValue;

    /// <summary>Per-CPU state is installed on the calling CPU and every CPU that takes a lock
    /// from now on; before it, every lock is CPU 0's (boot runs on one CPU).</summary>
    public static void PerCpuInstalled() => s_perCpuReady = true;

    /// <summary>The TSC rate, for the figures in nanoseconds and the long-hold threshold.</summary>
    public static void SetTickRate(ulong ticksPerMicrosecond)
    {
        s_ticksPerMicrosecond = ticksPerMicrosecond;
        s_longHoldTicks = LongHoldNanoseconds / 1000 * ticksPerMicrosecond;
    }

    private static int Cpu => s_perCpuReady ? *(int*)(Native.ReadGs0() + CpuIndexOffset) : 0;

    private static long* Slice(int cpu)
    {
        fixed (long* w = s_table.Words) return w + cpu * CpuWords;
    }

    /// <summary>The caller is about to take a lock of class <paramref name="c"/>: checks the order
    /// and notes what it waits for. Returns the time it started.</summary>
    public static ulong Taking(LockClass c, bool checkOrder = true)
    {
        long* me = Slice(Cpu);
        me[WaitingWord] = (long)c;
        if (checkOrder && (me[HeldWord] >> (int)c) != 0) OrderViolated(c);
        return Native.ReadTsc();
    }

    /// <summary>The caller took the lock it announced; <paramref name="since"/> is Taking's time,
    /// <paramref name="waited"/> whether it found the lock held. Returns when the hold began.</summary>
    public static ulong Taken(LockClass c, ulong since, bool waited)
    {
        long* me = Slice(Cpu);
        me[WaitingWord] = 0;
        me[HeldWord] |= 1L << (int)c;
        long* f = me + FiguresStart + (int)c * FigureWords;
        f[Acquisitions]++;
        if (!waited) return since;
        f[Contended]++;
        ulong now = Native.ReadTsc();
        if ((long)(now - since) > f[MaxWait]) f[MaxWait] = (long)(now - since);
        return now;
    }

    /// <summary>The caller let go of a lock of class <paramref name="c"/> it took at <paramref name="since"/>.</summary>
    public static void Released(LockClass c, ulong since)
    {
        long* me = Slice(Cpu);
        if ((me[HeldWord] & (1L << (int)c)) == 0) return; // a panic report's forced takeover
        me[HeldWord] &= ~(1L << (int)c);
        long* f = me + FiguresStart + (int)c * FigureWords;
        ulong hold = Native.ReadTsc() - since;
        if ((long)hold < 0) return; // TSCs of two CPUs a little apart: a step lock let go elsewhere
        f[TotalHold] += (long)hold;
        if ((long)hold > f[MaxHold]) f[MaxHold] = (long)hold;
        if (hold > s_longHoldTicks) f[LongHolds]++;
    }

    /// <summary>The lock classes <paramref name="cpu"/> holds, one bit per class.</summary>
    public static uint HeldBy(int cpu) => (uint)Volatile.Read(ref Slice(cpu)[HeldWord]);

    /// <summary>The class <paramref name="cpu"/> is spinning for, or 0.</summary>
    public static LockClass WaitingOn(int cpu) => (LockClass)Volatile.Read(ref Slice(cpu)[WaitingWord]);

    /// <summary>The figures of class <paramref name="c"/> summed over the CPUs (read racily: statistics).</summary>
    public static LockFigures Read(LockClass c)
    {
        LockFigures r = default;
        ulong perUs = s_ticksPerMicrosecond == 0 ? 1 : s_ticksPerMicrosecond;
        for (int cpu = 0; cpu < MaxCpus; cpu++)
        {
            long* f = Slice(cpu) + FiguresStart + (int)c * FigureWords;
            r.Acquisitions += f[Acquisitions];
            r.Contended += f[Contended];
            r.LongHolds += f[LongHolds];
            r.TotalHoldNanoseconds += (ulong)f[TotalHold] * 1000 / perUs;
            ulong hold = (ulong)f[MaxHold] * 1000 / perUs, wait = (ulong)f[MaxWait] * 1000 / perUs;
            if (hold > r.MaxHoldNanoseconds) r.MaxHoldNanoseconds = hold;
            if (wait > r.MaxWaitNanoseconds) r.MaxWaitNanoseconds = wait;
        }
        return r;
    }

    private static void OrderViolated(LockClass c)
    {
        // One message per class taken: no allocation here (the heap's own lock may be the one).
        FailFastExports.Fail(c switch
        {
            LockClass.Process => "LockOrder: a process lock taken while holding a kernel lock (see locks held)",
            LockClass.PageTablePool => "LockOrder: page-table-pool taken while holding it or a lock ranked above it (see locks held)",
            LockClass.HeapBlocks => "LockOrder: heap-blocks taken while holding it or a lock ranked above it (see locks held)",
            LockClass.PageFrames => "LockOrder: page-frames taken while holding it or a lock ranked above it (see locks held)",
            LockClass.SerialLine => "LockOrder: serial-line taken while holding it or a lock ranked above it (see locks held)",
            _ => "LockOrder: gc-mark taken while holding it (see locks held)",
        });
    }
}
