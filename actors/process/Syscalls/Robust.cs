// set_robust_list(2), get_robust_list(2): the head of the thread's robust
// futex list (struct robust_list_head is 24 bytes; any other length is
// -EINVAL). Walking it at thread death comes with futexes and threads.
namespace Kevlar.Process.Syscalls;

public static class Robust
{
    public const ulong HeadSize = 24;

    public static long InvokeSet(UserThread t, in SyscallArgs a)
    {
        if (a.Size(1) != HeadSize) return -Errno.EINVAL;
        t.RobustListHead = a.Pointer(0);
        t.RobustListLength = HeadSize;
        return 0;
    }

    public static long InvokeGet(UserThread t, in SyscallArgs a)
    {
        int pid = a.Int(0);
        if (pid != 0 && pid != t.OwnTid) return -Errno.ESRCH;
        int r = t.Process.UserMemory.WriteUInt64(a.Pointer(1), t.RobustListHead);
        return r != 0 ? r : t.Process.UserMemory.WriteUInt64(a.Pointer(2), t.RobustListLength);
    }
}
