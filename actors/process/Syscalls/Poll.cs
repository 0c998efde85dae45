// poll(2), ppoll(2): wait until one of the fds is ready. struct pollfd is
// { int fd; short events; short revents; } — 8 bytes. A negative fd is
// skipped (revents 0); a closed one reports POLLNVAL. POLLERR, POLLHUP and
// POLLNVAL are reported whether asked for or not. nfds above RLIMIT_NOFILE is
// -EINVAL; a bad array -EFAULT. A signal ends the wait with -EINTR, never a
// restart (signal(7)). ppoll takes a timespec (NULL: forever; negative:
// -EINVAL), writes back the time left as Linux does, and runs with the given
// signal mask, which stays in force for a handler the wait delivers.
using System;
using System.Buffers.Binary;
using Kevlar.Process.Files;
using Kevlar.Process.Signals;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Poll
{
    public static KernelTask<long> InvokePoll(UserThread t, SyscallArgs a)
    {
        int timeout = a.Int(2);
        ulong deadline = timeout < 0 ? ulong.MaxValue : timeout == 0 ? 0 : t.Process.Host.Clock.MonotonicNanoseconds + (ulong)timeout * 1_000_000;
        return Start(t, a.Pointer(0), a.Size(1), deadline, 0);
    }

    public static KernelTask<long> InvokePpoll(UserThread t, SyscallArgs a)
    {
        ulong deadline = ulong.MaxValue;
        ulong now = t.Process.Host.Clock.MonotonicNanoseconds;
        if (a.Pointer(2) != 0)
        {
            int r = t.Process.UserMemory.ReadTimespec(a.Pointer(2), out ulong ns);
            if (r != 0) return KernelTask<long>.FromResult(r);
            deadline = ns == 0 ? 0 : now + ns;
        }
        if (a.Pointer(3) != 0)
        {
            if (a.Size(4) != 8) return KernelTask<long>.FromResult(-Errno.EINVAL);
            int r = t.Process.UserMemory.ReadUInt64(a.Pointer(3), out ulong mask);
            if (r != 0) return KernelTask<long>.FromResult(r);
            t.SuspendWithMask(mask & ~Signal.Unblockable);
        }
        return Start(t, a.Pointer(0), a.Size(1), deadline, a.Pointer(2));
    }

    private static KernelTask<long> Start(UserThread t, ulong fds, ulong count, ulong deadline, ulong timeLeft)
    {
        if (count > (ulong)Open.FdLimit(t.Process))
            return Done(t, -Errno.EINVAL);
        int n = (int)count;
        PollBuffers b = PollBuffers.Take(t, n);
        byte[] raw = b.Raw;
        if (t.Process.UserMemory.Read(fds, new Span<byte>(raw, 0, n * 8)) != 0)
        {
            b.Return(t, n);
            return Done(t, -Errno.EFAULT);
        }
        PollBuffers.Entry[] entries = b.Entries;
        for (int i = 0; i < n; i++)
        {
            // struct pollfd: int fd, short events, short revents (little-endian).
            int at = i * 8;
            int fd = raw[at] | raw[at + 1] << 8 | raw[at + 2] << 16 | raw[at + 3] << 24;
            entries[i].Events = raw[at + 4] | raw[at + 5] << 8;
            if (fd < 0) continue;
            OpenFile? f = t.Process.Files.Get(fd);
            entries[i].File = f;
            if (f == null) entries[i].Revents = PollEvents.POLLNVAL;
        }
        return Finish(t, fds, b, n, deadline, timeLeft);
    }

    private static async KernelTask<long> Finish(UserThread t, ulong fds, PollBuffers b, int n, ulong deadline, ulong timeLeft)
    {
        long r = await Readiness.Wait(t, b.Entries, n, deadline);
        if (timeLeft != 0 && deadline != ulong.MaxValue)
        {
            ulong now = t.Process.Host.Clock.MonotonicNanoseconds;
            t.Process.UserMemory.WriteTimespec(timeLeft, deadline > now ? deadline - now : 0);
        }
        if (r >= 0)
        {
            byte[] raw = b.Raw;
            PollBuffers.Entry[] entries = b.Entries;
            for (int i = 0; i < n; i++)
            {
                raw[i * 8 + 6] = (byte)entries[i].Revents;
                raw[i * 8 + 7] = (byte)(entries[i].Revents >> 8);
            }
            if (t.Process.UserMemory.Write(fds, new ReadOnlySpan<byte>(raw, 0, n * 8)) != 0) r = -Errno.EFAULT;
            t.EndTemporaryMask();
        }
        b.Return(t, n);
        return r;
    }

    /// <summary>An early result: a temporary mask (ppoll, pselect6) goes back first.</summary>
    internal static KernelTask<long> Done(UserThread t, long result)
    {
        t.EndTemporaryMask();
        return KernelTask<long>.FromResult(result);
    }
}
