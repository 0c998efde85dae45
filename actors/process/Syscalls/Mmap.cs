// mmap(2): anonymous private and shared mappings, with MAP_FIXED,
// MAP_FIXED_NOREPLACE and hints. Pages appear on first touch; a MAP_SHARED
// region is shared with the children forked after it (its pages are made
// present at fork, see MemoryMap.PrepareSharedForFork). File mappings need
// the VFS's page cache: -ENODEV. RLIMIT_AS caps the total and RLIMIT_DATA the
// private writable mappings (-ENOMEM), counting what MAP_FIXED replaces as freed.
using Kevlar.Process.Memory;
using Kevlar.Runtime.UserMode;

namespace Kevlar.Process.Syscalls;

public static class Mmap
{
    public const int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    public const int MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_SHARED_VALIDATE = 3, MAP_TYPE = 0xF, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20,
        MAP_GROWSDOWN = 0x100, MAP_DENYWRITE = 0x800, MAP_EXECUTABLE = 0x1000, MAP_LOCKED = 0x2000, MAP_NORESERVE = 0x4000,
        MAP_POPULATE = 0x8000, MAP_NONBLOCK = 0x10000, MAP_STACK = 0x20000, MAP_HUGETLB = 0x40000, MAP_FIXED_NOREPLACE = 0x100000;

    public static long Invoke(UserThread t, in SyscallArgs a)
        => Do(t.Process, a.Pointer(0), a.Size(1), a.Int(2), a.Int(3), a.Fd(4), a.Long(5));

    public static long Do(UserProcess p, ulong hint, ulong length, int prot, int flags, int fd, long offset)
    {
        int type = flags & MAP_TYPE;
        if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE) return -Errno.EINVAL;
        if (length == 0 || (offset & 0xFFF) != 0) return -Errno.EINVAL;
        ulong size = MemoryMap.PageUp(length);
        if (size == 0 || size > p.Pages.UserEnd) return -Errno.ENOMEM;
        if ((flags & MAP_ANONYMOUS) == 0)
            return p.Files.Get(fd) == null ? -Errno.EBADF : -Errno.ENODEV;
        if ((prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) != 0) return -Errno.EINVAL;
        bool data = MemoryMap.IsData((PageProtection)prot, type != MAP_PRIVATE, RegionKind.Anonymous);
        ulong at;
        bool fixedAt = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0;
        if (fixedAt)
        {
            if ((hint & 0xFFF) != 0) return -Errno.EINVAL;
            if (hint < p.Pages.LowestUserAddress || hint + size > p.Pages.UserEnd || hint + size < hint) return -Errno.ENOMEM;
            if ((flags & MAP_FIXED_NOREPLACE) != 0 && !p.Memory.IsFree(hint, hint + size))
                return -Errno.EEXIST;
            // What MAP_FIXED replaces is freed: only the difference counts.
            if (!p.MayExpand(size - p.Memory.CoveredBytes(hint, hint + size), data ? size - p.Memory.CoveredBytes(hint, hint + size, true) : 0))
                return -Errno.ENOMEM;
            p.Memory.Remove(hint, hint + size);
            at = hint;
        }
        else
        {
            ulong h = MemoryMap.PageDown(hint);
            if (!p.MayExpand(size, data ? size : 0)) return -Errno.ENOMEM;
            at = h != 0 && p.Memory.IsFree(h, h + size) ? h : p.Memory.FindFree(size, MemoryMap.MmapTop);
            if (at == 0) return -Errno.ENOMEM;
        }
        p.Memory.Add(new MemoryRegion(at, at + size, (PageProtection)prot, RegionKind.Anonymous, null) { Shared = type != MAP_PRIVATE });
        return (long)at;
    }

}
