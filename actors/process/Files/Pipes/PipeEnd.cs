// PipeEnd: the open file description of one end of a pipe or FIFO. Reads and
// writes become requests to the Pipe (inline on its CPU, a message round trip
// elsewhere); when the pipe cannot proceed, the thread waits on a FileWaiter
// without holding its CPU and then asks again.
//
// Semantics (pipe(7)): a read returns what is there (at most the request),
// waits while the pipe is empty and a writer remains, and returns 0 once none
// does. A blocking write stores everything before it returns, waiting for
// room; a write of at most PIPE_BUF bytes is never interleaved; with no
// reader it raises SIGPIPE and fails with EPIPE. O_NONBLOCK turns each wait
// into -EAGAIN (or the partial count). A signal ends a wait with -EINTR, or
// the count already written, or restarts the call under SA_RESTART.
using System;
using Kevlar.Process.Memory;
using Kevlar.Process.Signals;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files.Pipes;

public sealed class PipeEnd : OpenFile
{
    public const uint FIONREAD = 0x541B;
    public readonly Pipe Pipe;
    /// <summary>Which ends this description is: one of them for pipe(2), both for a FIFO opened O_RDWR.</summary>
    public readonly bool Reads, Writes;

    public PipeEnd(Pipe pipe, bool writeEnd, int flags) : this(pipe, !writeEnd, writeEnd, flags)
    {
    }

    public PipeEnd(Pipe pipe, bool reads, bool writes, int flags)
    {
        Pipe = pipe;
        Reads = reads;
        Writes = writes;
        StatusFlags = flags;
    }

    private bool Waits => (StatusFlags & OpenFlags.O_NONBLOCK) == 0;

    public override KernelTask<long> ReadAsync(UserThread t, ulong buffer, ulong count)
    {
        if (count == 0) return KernelTask<long>.FromResult(0);
        int length = (int)Math.Min(count, (ulong)Pipe.MaxCapacity);
        bool waits = Waits;
        if (length <= UserCopy.Chunk && Pipe.RunsHere(t))
        {
            // On the pipe's CPU, bytes (or end of file, or O_NONBLOCK's -EAGAIN) at once through the
            // stack: no request, no waiter, no array. Only a blocking read of an empty pipe goes the long way.
            Span<byte> bounce = stackalloc byte[Math.Min(length, Pipe.Capacity)];
            long n = Pipe.Take(bounce, null);
            if (n != -Errno.EAGAIN || !waits)
            {
                if (n > 0 && t.Process.UserMemory.Write(buffer, bounce.Slice(0, (int)n)) != 0) n = -Errno.EFAULT;
                return KernelTask<long>.FromResult(n);
            }
        }
        return ReadWaiting(t, length, waits, buffer);
    }

    // In its own method: the closure is made only on the long way.
    private KernelTask<long> ReadWaiting(UserThread t, int length, bool waits, ulong buffer)
        => FileCall.ReadInto(t, Pipe, () => new PipeReadRequest(Pipe, Math.Min(length, Pipe.Capacity), waits), buffer);

    public override KernelTask<long> WriteAsync(UserThread t, ulong buffer, ulong count)
    {
        if (count == 0) return KernelTask<long>.FromResult(0);
        if (count <= (ulong)Pipe.PipeBuf && Pipe.RunsHere(t))
        {
            // On the pipe's CPU a write of at most PIPE_BUF is stored whole at once through the stack,
            // or fails, or finds no room (then, when it may wait, it goes the long way with the bytes read).
            Span<byte> bounce = stackalloc byte[(int)count];
            if (t.Process.UserMemory.Read(buffer, bounce) != 0)
                return KernelTask<long>.FromResult(-Errno.EFAULT);
            long n = Pipe.Put(bounce, null);
            if (n == -Errno.EAGAIN && Waits)
            {
                var data = new byte[(int)count];
                bounce.CopyTo(data);
                return PutBytes(t, data, (int)count);
            }
            if (n == -Errno.EPIPE) SignalDelivery.Raise(t, Signal.SIGPIPE, 0, t.Process.OwnPid, t.Process.Uid);
            return KernelTask<long>.FromResult(n);
        }
        return WriteLoop(t, buffer, count);
    }

    private async KernelTask<long> WriteLoop(UserThread t, ulong buffer, ulong count)
    {
        long done = 0;
        byte[] data = new byte[(int)Math.Min(count, (ulong)Pipe.DefaultCapacity)];
        while ((ulong)done < count)
        {
            int have = (int)Math.Min((ulong)data.Length, count - (ulong)done);
            if (t.Process.UserMemory.Read(buffer + (ulong)done, new Span<byte>(data, 0, have)) != 0)
                return done > 0 ? done : -Errno.EFAULT;
            long n = await PutBytes(t, data, have);
            if (n < 0) return done > 0 ? done : n;
            done += n;
            if (n < have) break; // O_NONBLOCK's partial write, or a signal after some bytes
        }
        return done;
    }

    public override KernelTask<long> WriteBytesAsync(UserThread t, byte[] data, int count)
    {
        if (count == 0) return KernelTask<long>.FromResult(0);
        return PutBytes(t, data, count);
    }

    private async KernelTask<long> PutBytes(UserThread t, byte[] data, int count)
    {
        int used = 0;
        while (used < count)
        {
            var request = new PipeWriteRequest(Pipe, data, used, count - used, Waits);
            long n = await FileCall.Run(t, Pipe, request);
            if (n == FileRequest.WouldBlock)
            {
                long woken = await FileCall.Wait(t, request.Waiter!, 0);
                if (woken < 0) return used > 0 ? used : woken;
                continue;
            }
            if (n == -Errno.EPIPE) SignalDelivery.Raise(t, Signal.SIGPIPE, 0, t.Process.OwnPid, t.Process.Uid);
            if (n < 0) return used > 0 ? used : n;
            used += (int)n;
            if (!Waits) break;
        }
        return used;
    }

    public override KernelTask<long> PollAsync(UserThread t, int events, FileWaiter? waiter)
    {
        // On the pipe's own CPU (FileCall.Run's inline case) the answer is one call, no request object.
        if (TryPollHere(FileOwner.CpuOf(t), events, waiter, out int mask)) return KernelTask<long>.FromResult(mask);
        return PollThere(t, events, waiter);
    }

    public override KernelTask<long> PollThere(UserThread t, int events, FileWaiter? waiter)
        => FileCall.RoundTrip(t, Pipe, new PipePollRequest(Pipe, Reads, Writes, events, waiter));

    public override bool TryPollHere(int cpu, int events, FileWaiter? waiter, out int mask)
    {
        bool here = Pipe.RunsOn(cpu);
        mask = here ? Pipe.Poll(Reads, Writes, events, waiter) : 0;
        return here;
    }

    public override bool Pollable => true;

    public override ulong EdgeCount(int events) => Pipe.Edges(Reads, Writes, events);

    public override void Stat(ref FileStatus status)
    {
        status.Mode = FileStatus.S_IFIFO | 0x180; // prw-------
        status.Device = 12;                       // pipefs's anonymous device
        status.Inode = Pipe.Inode;
        status.LinkCount = 1;
        status.BlockSize = 4096;
    }

    public override long Ioctl(uint request, ulong argument, UserMemory memory)
    {
        if (request != FIONREAD) return -Errno.ENOTTY;
        Span<byte> b = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(b, Pipe.Available);
        return memory.Write(argument, b);
    }

    protected override void OnLastClose()
    {
        Pipe.Closing(Reads, Writes); // counted now: close(2) returns before the pipe hears of it
        Pipe.Post(new PipeClosedMessage(Reads, Writes));
    }
}
