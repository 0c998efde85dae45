// CompletedLongTasks: one completed KernelTask<long> per small result, shared.
// Most system calls complete at once and return a small number, and each used
// to allocate a task just to carry it. A completed task is immutable (no
// continuation is ever registered on it), so one object per value serves every
// caller on every CPU. Filled lazily: two CPUs making the same entry at once
// each get a valid task and one of them stays. Not a protocol (no decision
// depends on which object a caller gets), so no Coyote scheduling point: the
// entries are plain reads and writes (a reference store publishes the object it
// names, in .NET's memory model) and the array is made once by compare-and-swap
// (SharedAccessScanTests exempts it).
using System.Threading;

namespace Kevlar.Runtime.Async;

internal static class CompletedLongTasks
{
    public const long Lowest = -256, Highest = 4096;
    private const int Count = 4096 + 256 + 1;

    // Built on first use: a static initializer would make a class constructor (docs/portable-csharp.md).
    private static KernelTask<long>?[]? s_tasks;

    public static KernelTask<long> Of(long value)
    {
        KernelTask<long>?[] tasks = Volatile.Read(ref s_tasks) ?? Make();
        int at = (int)(value - Lowest);
        KernelTask<long>? task = tasks[at];
        if (task != null) return task;
        task = KernelTask<long>.NewCompleted(value);
        tasks[at] = task;
        return task;
    }

    private static KernelTask<long>?[] Make()
    {
        Interlocked.CompareExchange(ref s_tasks, new KernelTask<long>?[Count], null);
        return Volatile.Read(ref s_tasks)!;
    }
}
