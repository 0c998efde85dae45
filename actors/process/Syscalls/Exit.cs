// exit(2) ends the calling thread (the process ends with its last thread);
// exit_group(2) ends every thread. The status is the low 8 bits.
using Kevlar.Process.Signals;

namespace Kevlar.Process.Syscalls;

public static class Exit
{
    public static long Invoke(UserThread t, in SyscallArgs a)
    {
        t.ExitThread(WaitStatus.Exited(a.Int(0) & 0xFF));
        return 0;
    }

    public static long InvokeGroup(UserThread t, in SyscallArgs a)
    {
        t.ExitGroup(WaitStatus.Exited(a.Int(0) & 0xFF));
        return 0;
    }
}
