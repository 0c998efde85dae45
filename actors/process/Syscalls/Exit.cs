// exit(2) and exit_group(2). With one thread per process so far, both end
// the process; the status is the low 8 bits.
using Kevlar.Process.Signals;

namespace Kevlar.Process.Syscalls;

public static class Exit
{
    public static long Invoke(UserThread t, in SyscallArgs a) => InvokeGroup(t, in a);

    public static long InvokeGroup(UserThread t, in SyscallArgs a)
    {
        t.ExitGroup(WaitStatus.Exited(a.Int(0) & 0xFF));
        return 0;
    }
}
