// TimerFdFile: the open file description of a timerfd (timerfd_create(2)).
// read needs 8 bytes (else -EINVAL) and returns the number of expirations
// since the last read or settime as a u64, waiting while there are none
// (-EAGAIN with O_NONBLOCK); poll reports POLLIN while some wait. Writes are
// -EINVAL (the default). settime/gettime reach the TimerFd through
// Syscalls/Timerfd.cs.
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files.Events;

public sealed class TimerFdFile : OpenFile
{
    public readonly TimerFd Timer;

    public TimerFdFile(TimerFd timer, int flags)
    {
        Timer = timer;
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
            long r = await Timer.Run(t, () => Timer.Take(waiter));
            if (r == FileRequest.WouldBlock)
            {
                long woken = await FileCall.Wait(t, waiter!, 0);
                if (woken < 0) return woken;
                continue;
            }
            if (r < 0) return r;
            return t.Process.UserMemory.WriteUInt64(buffer, (ulong)r) != 0 ? -Errno.EFAULT : 8;
        }
    }

    public override KernelTask<long> PollAsync(UserThread t, int events, FileWaiter? waiter)
        => Timer.Run(t, () => Timer.Poll(events, waiter));

    public override bool Pollable => true;

    protected override void OnLastClose() => Timer.Post(() =>
    {
        Timer.Stop();
        return 0;
    });

    /// <summary>noop_llseek, as Linux's anonymous files: the offset stays 0.</summary>
    public override long Seek(long offset, int whence) => 0;

    public override ulong EdgeCount(int events) => (events & PollEvents.POLLIN) != 0 ? Timer.Edges : 0;

    public override void Stat(ref FileStatus status) => AnonymousInode.Stat(ref status);
}
