// pause(2): waits until a signal's handler runs (then -EINTR) or a signal
// ends the process. Never restarted.
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Pause
{
    public static KernelTask<long> Invoke(UserThread t, SyscallArgs a) => UntilSignal(t);

    /// <summary>A wait only a signal ends (UserThread.InterruptForSignal answers -EINTR); also rt_sigsuspend's.</summary>
    public static async KernelTask<long> UntilSignal(UserThread t)
    {
        await new KernelEvent<int>(t);
        return -Errno.EINTR;
    }
}
