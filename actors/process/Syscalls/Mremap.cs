// mremap(2) for anonymous and image mappings: shrinking unmaps the tail;
// growing extends in place when the pages after are free, else moves the
// whole mapping with MREMAP_MAYMOVE (contents copied, the old range
// unmapped) or fails with -ENOMEM; MREMAP_FIXED moves to new_address
// (replacing what was there). -EINVAL for an unaligned address, a zero new
// size, unknown flags or FIXED without MAYMOVE; -EFAULT when the old range is
// not one mapping.
using Kevlar.Process.Memory;

namespace Kevlar.Process.Syscalls;

public static class Mremap
{
    public const int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4;

    public static long Invoke(UserThread t, in SyscallArgs a)
        => Do(t.Process, a.Pointer(0), a.Size(1), a.Size(2), a.Int(3), a.Pointer(4));

    public static long Do(UserProcess p, ulong old, ulong oldSize, ulong newSize, int flags, ulong fixedAt)
    {
        if ((old & 0xFFF) != 0 || (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)) != 0) return -Errno.EINVAL;
        if ((flags & MREMAP_FIXED) != 0 && ((flags & MREMAP_MAYMOVE) == 0 || (fixedAt & 0xFFF) != 0)) return -Errno.EINVAL;
        ulong oldLen = MemoryMap.PageUp(oldSize), newLen = MemoryMap.PageUp(newSize);
        if (newSize == 0 || newLen == 0 || oldLen == 0) return -Errno.EINVAL;
        MemoryMap m = p.Memory;
        MemoryRegion? r = m.Find(old);
        if (r == null || old + oldLen > r.End) return -Errno.EFAULT;
        if (newLen > oldLen && !p.MayExpand(newLen - oldLen, MemoryMap.IsData(r.Protection, r.Shared, r.Kind) ? newLen - oldLen : 0))
            return -Errno.ENOMEM; // RLIMIT_AS, RLIMIT_DATA
        if ((flags & MREMAP_FIXED) == 0)
        {
            if (newLen <= oldLen)
            {
                if (newLen < oldLen) m.Remove(old + newLen, old + oldLen);
                return (long)old;
            }
            if (m.IsFree(old + oldLen, old + newLen))
            {
                m.Add(r.CopyRange(old + oldLen, old + newLen));
                return (long)old;
            }
            if ((flags & MREMAP_MAYMOVE) == 0) return -Errno.ENOMEM;
        }
        ulong to = (flags & MREMAP_FIXED) != 0 ? fixedAt : m.FindFree(newLen, MemoryMap.MmapTop);
        if (to == 0 || to + newLen > p.Pages.UserEnd || to < p.Pages.LowestUserAddress) return -Errno.ENOMEM;
        if (to < old + oldLen && old < to + newLen) return -Errno.EINVAL; // overlapping move
        m.Remove(to, to + newLen);
        MemoryRegion moved = r.CopyRange(to, to + newLen);
        m.Add(moved);
        ulong copy = oldLen < newLen ? oldLen : newLen;
        if (!m.CopyPages(old, to, copy)) return -Errno.ENOMEM;
        m.Remove(old, old + oldLen);
        return (long)to;
    }
}
