// sched_yield(2): always succeeds; the thread goes to the back of its CPU's
// queue (its Run message is sent again), so the CPU's other threads and
// actors run before it does.
namespace Kevlar.Process.Syscalls;

public static class SchedYield
{
    public static long Invoke(UserThread t, in SyscallArgs a)
    {
        t.YieldRequested = true;
        return 0;
    }
}
