// The requests a pipe end sends its Pipe (see FileRequest for the protocol):
//   PipeReadRequest  — take up to Length bytes into Data. Reply: count, 0 at
//     EOF, -EAGAIN (O_NONBLOCK), or WouldBlock with Waiter registered.
//   PipeWriteRequest — store Data[Offset..Offset+Length]. Reply: count stored,
//     -EPIPE (no reader; the caller raises SIGPIPE), -EAGAIN, or WouldBlock.
//   PipePollRequest  — the end's poll events; registers Waiter if none asked holds.
//   PipeResizeRequest — F_SETPIPE_SZ. Reply: the new capacity or -errno.
//   PipeClosedMessage — an end's last fd closed. No reply.
//   PipePeerRequest  — a blocking FIFO open waits until the other side opens.
// Peer death: a reply to an exited thread is dropped (data read for it is
// lost with it, as on Linux when a reader dies mid-read).
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Process.Files.Pipes;

public sealed class PipeReadRequest : ReadRequest
{
    private readonly Pipe _pipe;
    private readonly bool _wait;

    public PipeReadRequest(Pipe pipe, int length, bool wait) : base(length)
    {
        _pipe = pipe;
        _wait = wait;
    }

    public override long Execute()
    {
        Waiter = _wait ? new ThreadWaiter(Thread!, PollEvents.POLLIN) : null;
        return _pipe.Take(Data, Waiter);
    }
}

public sealed class PipeWriteRequest : FileRequest
{
    private readonly Pipe _pipe;
    private readonly byte[] _data;
    private readonly int _offset, _length;
    private readonly bool _wait;
    public ThreadWaiter? Waiter;

    public PipeWriteRequest(Pipe pipe, byte[] data, int offset, int length, bool wait)
    {
        _pipe = pipe;
        _data = data;
        _offset = offset;
        _length = length;
        _wait = wait;
    }

    public override long Execute()
    {
        Waiter = _wait ? new ThreadWaiter(Thread!, PollEvents.POLLOUT) : null;
        return _pipe.Put(new System.ReadOnlySpan<byte>(_data, _offset, _length), Waiter);
    }
}

public sealed class PipePollRequest : FileRequest
{
    private readonly Pipe _pipe;
    private readonly bool _reads, _writes;
    private readonly int _events;
    private readonly FileWaiter? _waiter;

    public PipePollRequest(Pipe pipe, bool reads, bool writes, int events, FileWaiter? waiter)
    {
        _pipe = pipe;
        _reads = reads;
        _writes = writes;
        _events = events;
        _waiter = waiter;
    }

    public override long Execute() => _pipe.Poll(_reads, _writes, _events, _waiter);
}

public sealed class PipeResizeRequest : FileRequest
{
    private readonly Pipe _pipe;
    private readonly long _size;
    private readonly bool _privileged;

    public PipeResizeRequest(Pipe pipe, long size, bool privileged)
    {
        _pipe = pipe;
        _size = size;
        _privileged = privileged;
    }

    public override long Execute() => _pipe.Resize(_size, _privileged);
}

public sealed class PipeClosedMessage : Message
{
    public readonly bool Reads, Writes;

    public PipeClosedMessage(bool reads, bool writes) { Reads = reads; Writes = writes; }
}

/// <summary>A blocking FIFO open waiting for its peer. Reply: 0, or WouldBlock with Waiter registered.</summary>
public sealed class PipePeerRequest : FileRequest
{
    private readonly Pipe _pipe;
    private readonly bool _reader;
    private readonly int _seen;
    public ThreadWaiter? Waiter;

    public PipePeerRequest(Pipe pipe, bool reader, int seen)
    {
        _pipe = pipe;
        _reader = reader;
        _seen = seen;
    }

    public override long Execute()
    {
        Waiter = new ThreadWaiter(Thread!, PollEvents.POLLIN | PollEvents.POLLOUT);
        return _pipe.WaitForPeer(_reader, _seen, Waiter);
    }
}
