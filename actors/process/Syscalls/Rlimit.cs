// getrlimit(2), setrlimit(2), prlimit64(2) on the calling process (pid 0 or
// its own pid; other pids need the process table: -ESRCH). struct rlimit is
// two u64; RLIM_INFINITY is all ones.
using System;

namespace Kevlar.Process.Syscalls;

public static class Rlimit
{
    public static long InvokeGetrlimit(UserThread t, in SyscallArgs a) => Do(t.Process, 0, a.Int(0), 0, a.Pointer(1));

    public static long InvokeSetrlimit(UserThread t, in SyscallArgs a) => Do(t.Process, 0, a.Int(0), a.Pointer(1), 0);

    public static long InvokePrlimit64(UserThread t, in SyscallArgs a) => Do(t.Process, a.Int(0), a.Int(1), a.Pointer(2), a.Pointer(3));

    public static long Do(UserProcess p, int pid, int resource, ulong newLimit, ulong oldLimit)
    {
        if (resource < 0 || resource >= ResourceLimits.Count) return -Errno.EINVAL;
        if (pid != 0 && pid != p.OwnPid) return -Errno.ESRCH;
        ulong oldSoft = p.Limits.Soft(resource), oldHard = p.Limits.Hard(resource);
        if (newLimit != 0)
        {
            int r = p.UserMemory.ReadUInt64(newLimit, out ulong soft);
            ulong hard = 0;
            if (r == 0) r = p.UserMemory.ReadUInt64(newLimit + 8, out hard);
            if (r != 0) return r;
            r = p.Limits.TrySet(resource, soft, hard, p.Euid == 0);
            if (r != 0) return r;
        }
        if (oldLimit != 0)
        {
            int r = p.UserMemory.WriteUInt64(oldLimit, oldSoft);
            if (r == 0) r = p.UserMemory.WriteUInt64(oldLimit + 8, oldHard);
            return r;
        }
        return 0;
    }
}
