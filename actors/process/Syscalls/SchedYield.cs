// sched_yield(2): always succeeds. The thread keeps its CPU until its time
// slice ends; yielding to other runnable work on the CPU comes with the
// blocking syscalls.
namespace Kevlar.Process.Syscalls;

public static class SchedYield
{
    public static long Invoke(UserThread t, in SyscallArgs a) => 0;
}
