// set_tid_address(2): remembers where to clear the tid at thread exit; returns the tid.
namespace Kevlar.Process.Syscalls;

public static class SetTidAddress
{
    public static long Invoke(UserThread t, in SyscallArgs a)
    {
        t.ClearChildTid = a.Pointer(0);
        return t.OwnTid;
    }
}
