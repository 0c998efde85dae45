// madvise(2): MADV_DONTNEED drops the pages of an anonymous private range (the
// next touch reads zeros, as on Linux); MADV_FREE does the same at once (Linux
// may keep them until memory is short, which a program cannot rely on); the
// other hints (NORMAL, RANDOM, SEQUENTIAL, WILLNEED, DONTFORK, DOFORK,
// MERGEABLE, UNMERGEABLE, HUGEPAGE, NOHUGEPAGE, DONTDUMP, DODUMP) change
// nothing here and succeed. -EINVAL for an unaligned start or an unknown
// advice, -ENOMEM when part of the range is not mapped.
using Kevlar.Process.Memory;

namespace Kevlar.Process.Syscalls;

public static class Madvise
{
    public const int MADV_NORMAL = 0, MADV_RANDOM = 1, MADV_SEQUENTIAL = 2, MADV_WILLNEED = 3, MADV_DONTNEED = 4, MADV_FREE = 8,
        MADV_DONTFORK = 10, MADV_DOFORK = 11, MADV_MERGEABLE = 12, MADV_UNMERGEABLE = 13, MADV_HUGEPAGE = 14, MADV_NOHUGEPAGE = 15,
        MADV_DONTDUMP = 16, MADV_DODUMP = 17;

    public static long Invoke(UserThread t, in SyscallArgs a)
    {
        ulong start = a.Pointer(0), length = a.Size(1);
        int advice = a.Int(2);
        if ((start & 0xFFF) != 0 || !Known(advice)) return -Errno.EINVAL;
        if (length == 0) return 0;
        ulong end = MemoryMap.PageUp(start + length);
        if (end == 0 || start + length < start) return -Errno.EINVAL;
        MemoryMap m = t.Process.Memory;
        if (!m.IsCovered(start, end)) return -Errno.ENOMEM;
        if (advice == MADV_DONTNEED || advice == MADV_FREE) m.DropPages(start, end);
        return 0;
    }

    private static bool Known(int advice) => advice switch
    {
        MADV_NORMAL or MADV_RANDOM or MADV_SEQUENTIAL or MADV_WILLNEED or MADV_DONTNEED or MADV_FREE or MADV_DONTFORK or MADV_DOFORK
            or MADV_MERGEABLE or MADV_UNMERGEABLE or MADV_HUGEPAGE or MADV_NOHUGEPAGE or MADV_DONTDUMP or MADV_DODUMP => true,
        _ => false,
    };
}
