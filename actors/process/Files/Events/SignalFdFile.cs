// SignalFdFile: the open file description of a signalfd (signalfd(2)): a
// mask of the signals it accepts. It owns no signal state: a read or poll
// looks at the pending signals of the *calling* thread's process (the caller
// first, then its sibling threads; this kernel does not keep a separate
// process-wide pending set, a process-directed signal is pending on the
// thread SignalTarget chose), as Linux's signalfd reads current's queues. So
// a description shared after fork reads each process's own signals.
//
// No owner actor and no message: a process's pending sets are touched only
// in its threads' handlers, under the process's kernel lock, so a read or
// poll is served inline and cannot interleave with a Raise.
//
// Readiness, when the signal comes from another CPU: kill/tgkill there sends
// a SignalMessage to the target thread; its handler (under the process's
// kernel lock) runs SignalDelivery.Raise, which records the signal pending and calls
// UserProcess.SignalBecamePending, waking every FileWaiter in the process's
// SignalWaiters. A reader or poller registers there in the same handler
// step in which it found nothing pending (both steps hold the process's
// kernel lock, one at a time), so the signal is either seen by the check or wakes
// the waiter — never lost between them. The woken thread asks again; a wait
// abandoned by a handler's signal loses nothing (the signal is still
// pending). Raise records a signal only when it is blocked or has a handler
// (an ignored, unblocked one vanishes), so a signalfd sees what Linux's does
// when the caller blocks the mask, as signalfd(2) tells callers to.
//
// Semantics: read needs 128 bytes (else -EINVAL), returns as many 128-byte
// struct signalfd_siginfo as fit and are pending in the mask, taking them,
// waits while none is (-EAGAIN with O_NONBLOCK); poll reports POLLIN while
// one is pending. SIGKILL and SIGSTOP are never in the mask.
using System;
using System.Threading;
using Kevlar.Process.Signals;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files.Events;

public sealed class SignalFdFile : OpenFile
{
    private long _mask;
    // The process that made it: whose signals count as its edges for epoll (a hint).
    private readonly UserProcess _creator;

    public SignalFdFile(UserProcess creator, ulong mask, int flags)
    {
        _creator = creator;
        Mask = mask;
        StatusFlags = OpenFlags.O_RDWR | flags;
    }

    /// <summary>The signals it accepts (bit n-1 for signal n); signalfd4 on it replaces them.</summary>
    public ulong Mask
    {
        get => (ulong)Volatile.Read(ref _mask);
        set => Volatile.Write(ref _mask, (long)(value & ~Signal.Unblockable));
    }

    private bool Waits => (StatusFlags & OpenFlags.O_NONBLOCK) == 0;

    public override KernelTask<long> ReadAsync(UserThread t, ulong buffer, ulong count)
    {
        if (count < SignalFdInfo.Size) return KernelTask<long>.FromResult(-Errno.EINVAL);
        int max = (int)Math.Min(count / SignalFdInfo.Size, 64UL);
        long n = Take(t, buffer, max);
        if (n != 0 || !Waits) return KernelTask<long>.FromResult(n != 0 ? n : -Errno.EAGAIN);
        return ReadLoop(t, buffer, max);
    }

    private async KernelTask<long> ReadLoop(UserThread t, ulong buffer, int max)
    {
        while (true)
        {
            var waiter = new ThreadWaiter(t, PollEvents.POLLIN);
            t.Process.SignalWaiters.Add(waiter);
            long woken = await FileCall.Wait(t, waiter, 0);
            if (woken < 0) return woken;
            long n = Take(t, buffer, max);
            if (n != 0) return n;
        }
    }

    // Takes up to max pending signals of the mask into buffer: bytes written, 0 when none is
    // pending, -EFAULT (the first one taken is then lost, as on Linux).
    private long Take(UserThread t, ulong buffer, int max)
    {
        Span<byte> record = stackalloc byte[SignalFdInfo.Size];
        int done = 0;
        while (done < max && TakeOne(t, out SignalInfo info))
        {
            SignalFdInfo.Encode(in info, record);
            if (t.Process.UserMemory.Write(buffer + (ulong)(done * SignalFdInfo.Size), record) != 0)
                return done > 0 ? done * SignalFdInfo.Size : -Errno.EFAULT;
            done++;
        }
        return done * SignalFdInfo.Size;
    }

    private bool TakeOne(UserThread t, out SignalInfo info)
    {
        if (SignalDelivery.Dequeue(t, Mask, out info)) return true;
        var threads = t.Process.Threads;
        for (int i = 0; i < threads.Count; i++)
            if (threads[i] != t && SignalDelivery.Dequeue(threads[i], Mask, out info)) return true;
        return false;
    }

    private bool AnyPending(UserThread t)
    {
        ulong mask = Mask;
        var threads = t.Process.Threads;
        if ((t.PendingSignals & mask) != 0) return true;
        for (int i = 0; i < threads.Count; i++)
            if ((threads[i].PendingSignals & mask) != 0) return true;
        return false;
    }

    public override KernelTask<long> PollAsync(UserThread t, int events, FileWaiter? waiter)
    {
        int mask = AnyPending(t) ? PollEvents.POLLIN : 0;
        if ((mask & (events | PollEvents.Always)) == 0 && waiter != null) t.Process.SignalWaiters.Add(waiter);
        return KernelTask<long>.FromResult(mask);
    }

    public override bool Pollable => true;

    /// <summary>noop_llseek, as Linux's anonymous files: the offset stays 0.</summary>
    public override long Seek(long offset, int whence) => 0;

    public override ulong EdgeCount(int events) => _creator.SignalEdges;

    public override void Stat(ref FileStatus status) => AnonymousInode.Stat(ref status);
}
