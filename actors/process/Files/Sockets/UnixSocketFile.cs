// UnixSocketFile: the open file description of an AF_UNIX socket. Its socket's
// state lives with the UnixSocket actor; this side runs the calls' loops on
// the calling thread — copy the data in, ask the receiving socket to queue it,
// wait (holding no CPU) for room, or ask the own socket for records and wait
// for data — so read/write/readv/writev, send*/recv* and poll share one path.
//
// Semantics (unix(7), socket(7)): a stream send queues as much as fits and
// waits for room until all is sent (O_NONBLOCK / MSG_DONTWAIT: the partial
// count or -EAGAIN); a stream's EPIPE raises SIGPIPE unless MSG_NOSIGNAL. A datagram or
// seqpacket send is one record, whole or not at all (-EMSGSIZE above the send
// buffer). A read takes what is there, waiting while nothing is and the peer
// may still write; MSG_WAITALL (stream) waits for the whole request. A signal
// ends a wait with -EINTR, or the count done so far; SO_RCVTIMEO/SO_SNDTIMEO
// end it with -EAGAIN.
using System;
using Kevlar.Net;
using Kevlar.Process.Signals;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files.Sockets;

public sealed class UnixSocketFile : SocketFile
{
    /// <summary>The most one request brings back (a queue holds at most 2 × wmem_max).</summary>
    private const int MaxChunk = 2 * SocketConstants.WmemMax;
    /// <summary>The most a stream send copies in per request.</summary>
    private const int SendChunk = 65536;

    public readonly UnixSocket Socket;

    public override int Family => SocketConstants.AF_UNIX;
    public override int Type => Socket.Type;
    public override ulong Inode => Socket.Inode;

    public UnixSocketFile(UnixSocket socket, int flags)
    {
        Socket = socket;
        socket.File = this;
        StatusFlags = OpenFlags.O_RDWR | flags;
    }

    public override KernelTask<long> SendAsync(UserThread t, IoVector data, int flags) => SendAsync(t, data, flags, null, null, null);

    /// <summary>Only messages in flight hold this socket now: it may be garbage (UnixGarbage).</summary>
    protected override void OnlyInFlight() => UnixGarbage.Schedule(Socket);

    /// <summary>Sends the bytes of <paramref name="data"/> with <paramref name="flags"/> to the peer or
    /// to <paramref name="to"/>: the count or -errno. <paramref name="rights"/> are held in flight
    /// (one reference each) and released here unless queued.</summary>
    public async KernelTask<long> SendAsync(UserThread t, IoVector data, int flags, UnixAddress? to, OpenFile[]? rights, UnixCredentials? explicitCredentials)
    {
        UserProcess p = t.Process;
        var m = new UnixSocket.Outgoing
        {
            Rights = rights,
            Credentials = explicitCredentials ?? new UnixCredentials(p.Pid, p.Uid, p.Gid),
        };
        UnixSocket? target = null;
        long r = await Socket.Run(t, () => Socket.PrepareSend(to != null, m, out target));
        if (r == 1)
        {
            await Syscalls.Bind.Autobind(t, Socket);
            r = await Socket.Run(t, () => Socket.PrepareSend(to != null, m, out target));
            if (r == 1) r = 0;
        }
        if (r == 0 && target == null) r = await Find(t, to!, (found) => target = found);
        if (r == 0)
            r = Socket.Type == SocketConstants.SOCK_STREAM ? await SendStream(t, data, flags, m, target!) : await SendRecord(t, data, flags, m, target!);
        ReleaseRights(m.Rights);
        // unix_stream_sendmsg raises SIGPIPE; the datagram path (seqpacket too) does not.
        if (r == -Errno.EPIPE && Socket.Type == SocketConstants.SOCK_STREAM && (flags & SocketConstants.MSG_NOSIGNAL) == 0)
            SignalDelivery.Raise(t, Signal.SIGPIPE, 0, p.OwnPid, p.Uid);
        return r;
    }

    /// <summary>The socket bound to <paramref name="address"/> for this socket's type, through the
    /// VfsActor's UnixNames: 0 with <paramref name="found"/> called, or the lookup's -errno.</summary>
    public KernelTask<long> Find(UserThread t, UnixAddress address, Action<UnixSocket> found)
    {
        var names = Socket.Names;
        int r = PathLookup.Context(t.Process, PathLookup.AT_FDCWD, "/", out Kevlar.Vfs.Paths.PathContext ctx);
        if (r != 0) return KernelTask<long>.FromResult(r);
        int type = Socket.Type;
        return names.Run(t, () =>
        {
            int e = names.UnixNames.Find(names.Namespace, ctx, address, type, out UnixSocket? s);
            if (e == 0) found(s!);
            return e;
        });
    }

    private async KernelTask<long> SendStream(UserThread t, IoVector data, int flags, UnixSocket.Outgoing m, UnixSocket target)
    {
        long sent = 0;
        m.Data = new byte[(int)Math.Min(data.Total, SendChunk)];
        bool waits = Waits(flags);
        ulong deadline = Deadline(t, Socket.SendTimeout);
        while (sent < data.Total)
        {
            int chunk = (int)Math.Min(data.Total - sent, SendChunk);
            if (data.Gather(t.Process.UserMemory, sent, new Span<byte>(m.Data, 0, chunk)) != 0) return sent > 0 ? sent : -Errno.EFAULT;
            m.Offset = 0;
            m.Length = chunk;
            while (m.Length > 0)
            {
                ThreadWaiter? waiter = waits ? new ThreadWaiter(t, PollEvents.POLLOUT) : null;
                long n = await target.Run(t, () => target.DeliverStream(m, waiter));
                if (n == FileRequest.WouldBlock)
                {
                    long woken = await WaitOnce(t, waiter!, deadline);
                    if (woken < 0) return sent > 0 ? sent : woken;
                    continue;
                }
                if (n < 0) return sent > 0 ? sent : n;
                sent += n;
                m.Offset += (int)n;
                m.Length -= (int)n;
                if (!waits && m.Length > 0) return sent;
            }
        }
        return sent;
    }

    private async KernelTask<long> SendRecord(UserThread t, IoVector data, int flags, UnixSocket.Outgoing m, UnixSocket target)
    {
        if (data.Total > m.SendBuffer - 32) return -Errno.EMSGSIZE;
        m.Data = new byte[(int)data.Total];
        m.Length = m.Data.Length;
        if (data.Gather(t.Process.UserMemory, 0, m.Data) != 0) return -Errno.EFAULT;
        bool waits = Waits(flags);
        ulong deadline = Deadline(t, Socket.SendTimeout);
        while (true)
        {
            ThreadWaiter? waiter = waits ? new ThreadWaiter(t, PollEvents.POLLOUT) : null;
            long n = await target.Run(t, () => target.DeliverRecord(m, waiter));
            if (n == FileRequest.WouldBlock)
            {
                long woken = await WaitOnce(t, waiter!, deadline);
                if (woken < 0) return woken;
                continue;
            }
            if (n == -Errno.ECONNREFUSED) await Socket.Run(t, () => Socket.ForgetDeadPeer(target));
            return n;
        }
    }

    /// <summary>Receives into <paramref name="data"/> with <paramref name="flags"/>: the count (with
    /// MSG_TRUNC on a datagram, the record's length) or -errno; ancillary results in
    /// <paramref name="received"/> (null: files received are closed, MSG_CTRUNC as Linux).</summary>
    public override async KernelTask<long> ReceiveAsync(UserThread t, IoVector data, int flags, Received? received)
    {
        bool peek = (flags & SocketConstants.MSG_PEEK) != 0;
        bool waits = Waits(flags);
        bool stream = Socket.Type == SocketConstants.SOCK_STREAM;
        bool waitAll = stream && !peek && (flags & SocketConstants.MSG_WAITALL) != 0;
        ulong deadline = Deadline(t, Socket.ReceiveTimeout);
        long copied = 0;
        while (true)
        {
            int length = (int)Math.Min(data.Total - copied, MaxChunk);
            var into = new UnixSocket.Incoming(length);
            ThreadWaiter? waiter = waits ? new ThreadWaiter(t, PollEvents.POLLIN) : null;
            long n = await Socket.Run(t, () => Socket.Receive(into, peek, waiter));
            if (n == FileRequest.WouldBlock)
            {
                long woken = await WaitOnce(t, waiter!, deadline);
                if (woken < 0) return copied > 0 ? copied : woken;
                continue;
            }
            if (n < 0) return copied > 0 ? copied : n;
            bool first = copied == 0;
            if (n > 0 && data.Scatter(t.Process.UserMemory, copied, into.Data, (int)n) != 0)
            {
                ReleaseRights(into.Rights);
                return copied > 0 ? copied : -Errno.EFAULT;
            }
            copied += n;
            Deliver(into, first, received);
            if (!stream)
            {
                if (into.FullLength > n && received != null) received.MessageFlags |= SocketConstants.MSG_TRUNC;
                return (flags & SocketConstants.MSG_TRUNC) != 0 ? into.FullLength : n;
            }
            if (!waitAll || n == 0 || copied >= data.Total || into.Rights != null) return copied;
        }
    }

    private static void Deliver(UnixSocket.Incoming into, bool first, Received? received)
    {
        if (received == null)
        {
            ReleaseRights(into.Rights);
            return;
        }
        if (first)
        {
            received.Source = into.Source;
            received.HasCredentials = into.PassCredentials;
            received.Credentials = into.Credentials;
        }
        if (into.Rights != null)
        {
            ReleaseRights(received.Rights);
            received.Rights = into.Rights;
        }
    }

    public override async KernelTask<long> PollAsync(UserThread t, int events, FileWaiter? waiter)
    {
        UnixSocket? roomAt = null;
        long mask = await Socket.Run(t, () => Socket.Poll(events, waiter, out roomAt));
        if (roomAt == null || (events & (PollEvents.POLLOUT | PollEvents.POLLWRNORM | PollEvents.POLLWRBAND)) == 0) return mask;
        UnixSocket peer = roomAt;
        int sendBuffer = Socket.SendBuffer;
        FileWaiter? w = (mask & (events | PollEvents.Always)) != 0 ? null : waiter;
        UnixSocket self = Socket;
        return mask | await peer.Run(t, () => peer.PollRoom(self, sendBuffer, w));
    }

    /// <summary>The own socket's changes, and for POLLOUT the peer's reads (room made there).</summary>
    public override ulong EdgeCount(int events)
    {
        ulong n = Socket.Edges(events);
        UnixSocket? peer = Socket.PeerHint;
        if (peer != null && (events & (PollEvents.POLLOUT | PollEvents.POLLWRNORM)) != 0) n += peer.Edges(PollEvents.POLLOUT);
        return n;
    }

    protected override KernelTask<long> InboundBytes(UserThread t)
    {
        UnixSocket socket = Socket;
        return socket.Run(t, () => socket.InboundBytes());
    }

    protected override void OnLastClose() => Socket.Post(() =>
    {
        Socket.Close();
        return 0;
    });
}
