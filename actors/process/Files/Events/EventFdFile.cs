// EventFdFile: the open file description of an eventfd (eventfd(2)). Reads
// and writes become closures run by the EventFd (inline on its CPU, a round
// trip elsewhere); when the counter cannot serve one, the thread waits on a
// FileWaiter without holding its CPU and then asks again.
//
// Semantics: read needs 8 bytes (else -EINVAL), returns the count (or 1 with
// EFD_SEMAPHORE) as a u64 and takes it, waiting while it is 0; write needs 8
// bytes, adds the u64, waits while the sum would pass 0xfffffffffffffffe, and
// 0xffffffffffffffff is -EINVAL. O_NONBLOCK turns each wait into -EAGAIN. A
// signal ends a wait with -EINTR, or restarts it under SA_RESTART.
using System;
using System.Buffers.Binary;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files.Events;

public sealed class EventFdFile : OpenFile
{
    public readonly EventFd Counter;

    public EventFdFile(EventFd counter, int flags)
    {
        Counter = counter;
        StatusFlags = OpenFlags.O_RDWR | flags;
    }

    private bool Waits => (StatusFlags & OpenFlags.O_NONBLOCK) == 0;

    public override KernelTask<long> ReadAsync(UserThread t, ulong buffer, ulong count)
    {
        if (count < 8) return KernelTask<long>.FromResult(-Errno.EINVAL);
        return ReadLoop(t, buffer);
    }

    private async KernelTask<long> ReadLoop(UserThread t, ulong buffer)
    {
        while (true)
        {
            ThreadWaiter? waiter = Waits ? new ThreadWaiter(t, PollEvents.POLLIN) : null;
            ulong value = 0;
            long r = await Counter.Run(t, () => Counter.Take(waiter, out value));
            if (r == FileRequest.WouldBlock)
            {
                long woken = await FileCall.Wait(t, waiter!, 0);
                if (woken < 0) return woken;
                continue;
            }
            if (r < 0) return r;
            return t.Process.UserMemory.WriteUInt64(buffer, value) != 0 ? -Errno.EFAULT : 8;
        }
    }

    public override KernelTask<long> WriteAsync(UserThread t, ulong buffer, ulong count)
    {
        if (count < 8) return KernelTask<long>.FromResult(-Errno.EINVAL);
        if (t.Process.UserMemory.ReadUInt64(buffer, out ulong value) != 0) return KernelTask<long>.FromResult(-Errno.EFAULT);
        if (value == ulong.MaxValue) return KernelTask<long>.FromResult(-Errno.EINVAL);
        return WriteLoop(t, value);
    }

    private async KernelTask<long> WriteLoop(UserThread t, ulong value)
    {
        while (true)
        {
            ThreadWaiter? waiter = Waits ? new ThreadWaiter(t, PollEvents.POLLOUT) : null;
            long r = await Counter.Run(t, () => Counter.Add(value, waiter));
            if (r != FileRequest.WouldBlock) return r;
            long woken = await FileCall.Wait(t, waiter!, 0);
            if (woken < 0) return woken;
        }
    }

    public override KernelTask<long> PollAsync(UserThread t, int events, FileWaiter? waiter)
        => TryPollHere(FileOwner.CpuOf(t), events, waiter, out int mask) ? KernelTask<long>.FromResult(mask) : PollThere(t, events, waiter);

    public override bool TryPollHere(int cpu, int events, FileWaiter? waiter, out int mask)
    {
        bool here = Counter.RunsOn(cpu);
        mask = here ? (int)Counter.Poll(events, waiter) : 0;
        return here;
    }

    // In its own method: the closure is made only when the counter lives on another CPU.
    public override KernelTask<long> PollThere(UserThread t, int events, FileWaiter? waiter)
        => Counter.RunThere(t, () => Counter.Poll(events, waiter));

    public override bool Pollable => true;

    /// <summary>noop_llseek, as Linux's anonymous files: the offset stays 0.</summary>
    public override long Seek(long offset, int whence) => 0;

    public override ulong EdgeCount(int events) => Counter.Edges(events);

    public override void Stat(ref FileStatus status) => AnonymousInode.Stat(ref status);
}
