// munmap(2): removes [addr, addr+len) rounded to pages; an unaligned address
// or a zero length is -EINVAL; unmapping nothing succeeds.
using Kevlar.Process.Memory;

namespace Kevlar.Process.Syscalls;

public static class Munmap
{
    public static long Invoke(UserThread t, in SyscallArgs a)
    {
        ulong start = a.Pointer(0), length = a.Size(1);
        UserProcess p = t.Process;
        if ((start & 0xFFF) != 0 || length == 0) return -Errno.EINVAL;
        ulong end = MemoryMap.PageUp(start + length);
        if (end == 0 || start + length < start || end > p.Pages.UserEnd) return -Errno.EINVAL;
        p.Memory.Remove(start, end);
        return 0;
    }
}
