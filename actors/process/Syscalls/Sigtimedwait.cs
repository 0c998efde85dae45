// rt_sigtimedwait(2): takes a pending signal of the set (normally blocked by
// the caller) without running its handler: its number, with its siginfo
// written when asked. With nothing pending it waits until one of the set is
// raised (SignalDelivery.Raise wakes the waiter), the timeout passes (-EAGAIN)
// or another signal's handler interrupts it (-EINTR; never restarted, as on
// Linux). A zero timeout only looks. SIGKILL and SIGSTOP cannot be waited for.
using System;
using Kevlar.Process.Signals;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Sigtimedwait
{
    public static KernelTask<long> Invoke(UserThread t, SyscallArgs a)
    {
        if (a.Size(3) != 8) return KernelTask<long>.FromResult(-Errno.EINVAL);
        int r = t.Process.UserMemory.ReadUInt64(a.Pointer(0), out ulong set);
        if (r != 0) return KernelTask<long>.FromResult(r);
        set &= ~Signal.Unblockable;
        ulong deadline = 0;
        bool timed = a.Pointer(2) != 0;
        if (timed)
        {
            r = t.Process.UserMemory.ReadTimespec(a.Pointer(2), out ulong ns);
            if (r != 0) return KernelTask<long>.FromResult(r);
            deadline = t.Process.Host.Clock.MonotonicNanoseconds + ns;
        }
        long taken = Take(t, set, a.Pointer(1));
        if (taken != 0 || (timed && deadline <= t.Process.Host.Clock.MonotonicNanoseconds))
            return KernelTask<long>.FromResult(taken != 0 ? taken : -Errno.EAGAIN);
        return Wait(t, set, a.Pointer(1), timed ? deadline : 0);
    }

    private static async KernelTask<long> Wait(UserThread t, ulong set, ulong infoAddress, ulong deadline)
    {
        ProcessHost host = t.Process.Host;
        while (true)
        {
            var woken = new KernelEvent<int>(t);
            t.BeginWait(woken, deadline);
            t.SigwaitSet = set;
            t.OnAbandon(() => t.SigwaitSet = 0);
            await woken;
            t.OnAbandon(null);
            t.EndWait();
            t.SigwaitSet = 0;
            long taken = Take(t, set, infoAddress);
            if (taken != 0) return taken;
            if (deadline != 0 && host.Clock.MonotonicNanoseconds >= deadline) return -Errno.EAGAIN;
        }
    }

    // The lowest pending signal of the set, dequeued (its siginfo to infoAddress when non-zero):
    // its number, 0 when none, or -EFAULT.
    private static long Take(UserThread t, ulong set, ulong infoAddress)
    {
        ulong ready = t.PendingSignals & set;
        if (ready == 0) return 0;
        int signal = 1;
        while ((ready & (1UL << (signal - 1))) == 0) signal++;
        SignalInfo info = t.PendingInfo[signal];
        if (!t.TakeQueuedRealtime(signal)) t.PendingSignals &= ~(1UL << (signal - 1));
        if (infoAddress != 0)
        {
            Span<byte> b = stackalloc byte[SignalInfo.Size];
            info.Encode(b);
            if (t.Process.UserMemory.Write(infoAddress, b) != 0) return -Errno.EFAULT;
        }
        return signal;
    }
}
