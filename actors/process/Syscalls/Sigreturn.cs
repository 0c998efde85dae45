// rt_sigreturn(2): back from a signal handler — registers, FPU state and the
// signal mask come from the frame at rsp - 8. A frame that cannot be read
// kills the process with SIGSEGV, as on Linux. The "result" is the restored rax.
using Kevlar.Process.Signals;

namespace Kevlar.Process.Syscalls;

public static class Sigreturn
{
    public static long Invoke(UserThread t, in SyscallArgs a)
    {
        if (!SignalFrame.Restore(t, out ulong mask))
        {
            t.ExitGroup(WaitStatus.Killed(Signal.SIGSEGV, false));
            return 0;
        }
        t.SignalMask = mask & ~Signal.Unblockable;
        return (long)t.Registers.Rax;
    }
}
