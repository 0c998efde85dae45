// rt_sigsuspend(2): replaces the signal mask and waits until a signal's
// handler runs; always -EINTR, and the old mask comes back when the handler
// returns (the frame saves it). A signal already pending and unblocked by the
// new mask ends the wait at once. Never restarted, as on Linux.
using Kevlar.Process.Signals;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Sigsuspend
{
    public static KernelTask<long> Invoke(UserThread t, SyscallArgs a)
    {
        if (a.Size(1) != 8) return KernelTask<long>.FromResult(-Errno.EINVAL);
        int r = t.Process.UserMemory.ReadUInt64(a.Pointer(0), out ulong mask);
        if (r != 0) return KernelTask<long>.FromResult(r);
        t.SuspendWithMask(mask & ~Signal.Unblockable);
        if (SignalDelivery.HasDeliverable(t)) return KernelTask<long>.FromResult(-Errno.EINTR);
        return Pause.UntilSignal(t);
    }
}
