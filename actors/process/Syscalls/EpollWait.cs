// epoll_wait(2), epoll_pwait(2), epoll_pwait2(2): waits until an entry of an
// epoll set is ready (Files/Events/EpollFile.cs) and writes up to maxevents
// packed struct epoll_event (12 bytes). a bad epfd is -EBADF (checked first, as
// Linux 6.x does), maxevents ≤ 0 or above INT_MAX/12 -EINVAL, another file
// -EINVAL, a buffer beyond user space -EFAULT (before waiting), one that
// cannot be written -EFAULT.
// timeout: -1 waits forever, 0 only looks, else milliseconds (epoll_pwait2: a
// timespec, NULL forever). A signal ends the wait with -EINTR, never a
// restart (signal(7)). epoll_pwait's mask (sigsetsize must be 8) is in force
// during the wait and stays for a handler the wait delivers, as ppoll's.
using System;
using System.Buffers.Binary;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Events;
using Kevlar.Process.Memory;
using Kevlar.Process.Signals;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class EpollWait
{
    /// <summary>Events gathered per call at most (a larger maxevents reports this many).</summary>
    private const int MaxPerCall = 1024;

    public static KernelTask<long> InvokeWait(UserThread t, SyscallArgs a)
        => Start(t, a.Fd(0), a.Pointer(1), a.Int(2), Milliseconds(t, a.Int(3)));

    public static KernelTask<long> InvokePwait(UserThread t, SyscallArgs a)
    {
        long r = SetMask(t, a.Pointer(4), a.Size(5));
        if (r != 0) return KernelTask<long>.FromResult(r);
        return Start(t, a.Fd(0), a.Pointer(1), a.Int(2), Milliseconds(t, a.Int(3)));
    }

    public static KernelTask<long> InvokePwait2(UserThread t, SyscallArgs a)
    {
        ulong deadline = ulong.MaxValue;
        if (a.Pointer(3) != 0)
        {
            int r = t.Process.UserMemory.ReadTimespec(a.Pointer(3), out ulong ns);
            if (r != 0) return KernelTask<long>.FromResult(r);
            deadline = ns == 0 ? 0 : t.Process.Host.Clock.MonotonicNanoseconds + ns;
        }
        long m = SetMask(t, a.Pointer(4), a.Size(5));
        if (m != 0) return KernelTask<long>.FromResult(m);
        return Start(t, a.Fd(0), a.Pointer(1), a.Int(2), deadline);
    }

    private static ulong Milliseconds(UserThread t, int timeout)
        => timeout < 0 ? ulong.MaxValue : timeout == 0 ? 0 : t.Process.Host.Clock.MonotonicNanoseconds + (ulong)timeout * 1_000_000;

    private static long SetMask(UserThread t, ulong maskAddress, ulong size)
    {
        if (maskAddress == 0) return 0;
        if (size != 8) return -Errno.EINVAL;
        if (t.Process.UserMemory.ReadUInt64(maskAddress, out ulong mask) != 0) return -Errno.EFAULT;
        t.SuspendWithMask(mask & ~Signal.Unblockable);
        return 0;
    }

    private static KernelTask<long> Start(UserThread t, int epfd, ulong buffer, int max, ulong deadline)
    {
        OpenFile? f = t.Process.Files.Get(epfd);
        if (f == null) return Poll.Done(t, -Errno.EBADF);
        if (max <= 0 || max > EpollEvents.MaxEvents) return Poll.Done(t, -Errno.EINVAL);
        var epoll = f as EpollFile;
        if (epoll == null) return Poll.Done(t, -Errno.EINVAL);
        // access_ok: a buffer reaching past user space fails before waiting.
        if (!UserMemory.InUserSpace(buffer, (ulong)max * EpollEvents.EventSize)) return Poll.Done(t, -Errno.EFAULT);
        return Finish(t, epoll, buffer, Math.Min(max, MaxPerCall), deadline);
    }

    private static KernelTask<long> Finish(UserThread t, EpollFile epoll, ulong buffer, int max, ulong deadline)
    {
        EpollRoundBuffers round = EpollRoundBuffers.Take(t);
        KernelTask<long> wait = epoll.Wait(t, max, round, deadline);
        if (wait.IsCompleted) return KernelTask<long>.FromResult(Report(t, wait.Result, round, buffer));
        return FinishLater(t, wait, round, buffer);
    }

    private static async KernelTask<long> FinishLater(UserThread t, KernelTask<long> wait, EpollRoundBuffers round, ulong buffer)
        => Report(t, await wait, round, buffer);

    // The events in user format into the buffer: n, or -EFAULT, or the wait's -errno.
    private static long Report(UserThread t, long n, EpollRoundBuffers round, ulong buffer)
    {
        if (n < 0)
        {
            round.Return(t);
            return n;
        }
        byte[] raw = round.Raw;
        for (int i = 0; i < n; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(new Span<byte>(raw, i * EpollEvents.EventSize, 4), round.Events[i]);
            BinaryPrimitives.WriteUInt64LittleEndian(new Span<byte>(raw, i * EpollEvents.EventSize + 4, 8), round.Data[i]);
        }
        t.EndTemporaryMask();
        int written = n > 0 ? t.Process.UserMemory.Write(buffer, new ReadOnlySpan<byte>(raw, 0, (int)n * EpollEvents.EventSize)) : 0;
        round.Return(t);
        return written != 0 ? -Errno.EFAULT : n;
    }
}
