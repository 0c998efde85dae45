// mprotect(2): changes rights over whole mapped pages; -ENOMEM when part of
// the range is not mapped, -EINVAL for an unaligned start or unknown bits.
using Kevlar.Process.Memory;
using Kevlar.Runtime.UserMode;

namespace Kevlar.Process.Syscalls;

public static class Mprotect
{
    private const int KnownBits = Mmap.PROT_READ | Mmap.PROT_WRITE | Mmap.PROT_EXEC | 0x8 | 0x01000000 | 0x02000000; // PROT_SEM, PROT_GROWSDOWN/UP

    public static long Invoke(UserThread t, in SyscallArgs a)
    {
        ulong start = a.Pointer(0), length = a.Size(1);
        int prot = a.Int(2);
        if ((start & 0xFFF) != 0 || (prot & ~KnownBits) != 0) return -Errno.EINVAL;
        if (length == 0) return 0;
        ulong end = MemoryMap.PageUp(start + length);
        if (end == 0 || start + length < start) return -Errno.ENOMEM;
        return t.Process.Memory.Protect(start, end, (PageProtection)(prot & 7));
    }
}
