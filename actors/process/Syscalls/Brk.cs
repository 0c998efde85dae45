// brk(2): moves the end of the heap. Linux returns the new break on success
// and the old one on failure (the C library checks for that); the heap may
// not run into another mapping, grow past RLIMIT_DATA (counted from the
// heap's start; Linux also counts the executable's data segment) or take
// the mappings past RLIMIT_AS.
using Kevlar.Process.Memory;
using Kevlar.Runtime.UserMode;

namespace Kevlar.Process.Syscalls;

public static class Brk
{
    /// <summary>Most the heap may grow whatever RLIMIT_DATA says.</summary>
    public const ulong MaxHeap = 1UL << 32;

    public static long Invoke(UserThread t, in SyscallArgs a) => (long)Do(t.Process, a.Pointer(0));

    public static ulong Do(UserProcess p, ulong wanted)
    {
        ulong oldEnd = MemoryMap.PageUp(p.Brk), newEnd = MemoryMap.PageUp(wanted);
        if (wanted < p.BrkStart || wanted - p.BrkStart > MaxHeap || newEnd == 0) return p.Brk;
        // Linux checks RLIMIT_DATA before it looks at the direction, so a shrink over the limit fails too.
        if (wanted - p.BrkStart > p.Limits.Soft(ResourceLimits.RLIMIT_DATA)) return p.Brk;
        if (newEnd > oldEnd)
        {
            if (!p.MayExpand(newEnd - oldEnd, newEnd - oldEnd)) return p.Brk;
            if (!p.Memory.IsFree(oldEnd, newEnd)) return p.Brk;
            p.Memory.Add(new MemoryRegion(oldEnd, newEnd, PageProtection.Read | PageProtection.Write, RegionKind.Heap, "[heap]"));
        }
        else if (newEnd < oldEnd)
        {
            p.Memory.Remove(newEnd, oldEnd);
        }
        p.Brk = wanted;
        return wanted;
    }
}
