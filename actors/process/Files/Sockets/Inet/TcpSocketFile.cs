// TcpSocketFile: the open file description of an AF_INET SOCK_STREAM socket
// (tcp(7)). Its state lives with the TcpSocket actor (and the port with the
// InetStack); the calls run here on the calling thread as steps on them.
//
// Semantics, as Linux's inet_stream_connect, inet_accept, tcp_sendmsg and
// tcp_recvmsg give them: connect autobinds, sends the SYN and waits for the
// handshake (O_NONBLOCK: -EINPROGRESS, the result later in SO_ERROR; again
// while it runs: -EALREADY; once connected: -EISCONN); a refused connect is
// -ECONNREFUSED. listen autobinds too. A write queues what the send buffer
// takes and waits for room until all is queued (O_NONBLOCK / MSG_DONTWAIT:
// the partial count or -EAGAIN); after SHUT_WR or on an unconnected or
// closed socket it is -EPIPE with SIGPIPE unless MSG_NOSIGNAL; a reset
// connection reports -ECONNRESET once. A read takes what is there, waiting
// while nothing is and the peer may still send (MSG_WAITALL: until the whole
// request); 0 at the end of the stream. MSG_OOB (urgent data) is -EOPNOTSUPP.
using System;
using System.Collections.Generic;
using Kevlar.Net;
using Kevlar.Process.Signals;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files.Sockets.Inet;

public sealed class TcpSocketFile : InetSocketFile
{
    /// <summary>The most one request moves between user memory and the socket.</summary>
    private const int Chunk = 65536;

    public readonly TcpSocket Socket;
    /// <summary>A full-size bounce buffer kept between calls (taken with Exchange: two threads
    /// sending at once simply use two).</summary>
    private byte[]? _spare;

    private byte[] TakeBuffer(long total)
    {
        if (total < Chunk) return new byte[(int)Math.Max(total, 1)];
        return System.Threading.Interlocked.Exchange(ref _spare, null) ?? new byte[Chunk];
    }

    private void GiveBack(byte[] buffer)
    {
        if (buffer.Length == Chunk) System.Threading.Volatile.Write(ref _spare, buffer);
    }

    public TcpSocketFile(TcpSocket socket, int flags) : base(socket, flags) => Socket = socket;

    // ---- connect, listen, accept ---------------------------------------------------------

    /// <summary>connect(2): 0, or -errno (see the file's comment).</summary>
    public override async KernelTask<long> ConnectAsync(UserThread t, byte[] sockaddr)
    {
        TcpSocket socket = Socket;
        if (sockaddr.Length < 2) return -Errno.EINVAL;
        int r = InetAddress.Parse(sockaddr, out InetAddress to, out int family);
        if (r != 0) return r;
        if (family != SocketConstants.AF_INET) return -Errno.EAFNOSUPPORT;
        long e = await socket.Run(t, () => socket.BeginConnect());
        if (e == TcpSocket.ConnectCollected) return 0;
        if (e != 0) return e;
        e = await Bind(t, InetAddress.Unbound, false);
        uint source = 0;
        if (e == 0) e = Stack.Route(to.Address, out source);
        var remote = new InetAddress(InetStack.Destination(to.Address), to.Port);
        if (e == 0)
        {
            InetStack stack = Stack;
            PortBinding<InetSocket> b = socket.Binding;
            uint local = source;
            e = await stack.Run(t, () => stack.ConnectTcp(b, local, remote.Address, remote.Port));
        }
        long failed = e;
        uint from = source;
        var deliveries = new List<InetStack.Delivery>(1);
        e = await socket.Run(t, () => socket.Collecting(deliveries, () => socket.StartConnect(failed == 0 ? remote : null, from, failed)));
        await InetStack.Complete(t, deliveries);
        if (e != 0) return e;
        bool waits = (StatusFlags & OpenFlags.O_NONBLOCK) == 0;
        if (!waits) return -Errno.EINPROGRESS;
        ulong deadline = Deadline(t, socket.Options.SendTimeout);
        while (true)
        {
            var waiter = new ThreadWaiter(t, PollEvents.POLLOUT);
            long n = await socket.Run(t, () => socket.ConnectResult(waiter));
            if (n != FileRequest.WouldBlock) return n;
            long woken = await WaitOnce(t, waiter, deadline);
            // The handshake goes on without the caller: a later connect says -EALREADY, then -EISCONN.
            if (woken == -Errno.EAGAIN) return -Errno.EINPROGRESS;
            if (woken < 0) return woken;
        }
    }

    /// <summary>listen(2): autobinds, then marks the port listening: 0, -EINVAL when connected,
    /// -EADDRINUSE when another listener holds the port.</summary>
    public async KernelTask<long> ListenAsync(UserThread t, int backlog)
    {
        TcpSocket socket = Socket;
        long e = await socket.Run(t, () => socket.CheckListen());
        if (e != 0) return e;
        e = await Bind(t, InetAddress.Unbound, false);
        if (e != 0) return e;
        InetStack stack = Stack;
        PortBinding<InetSocket> b = socket.Binding;
        e = await stack.Run(t, () => stack.Listen(b));
        if (e != 0) return e;
        return await socket.Run(t, () => socket.Listen(backlog));
    }

    /// <summary>accept4(2): the new connection's file, or -errno (-EINVAL not listening, -EAGAIN).</summary>
    public async KernelTask<long> AcceptAsync(UserThread t, int flags, Action<TcpSocketFile> accepted)
    {
        TcpSocket socket = Socket;
        bool waits = (StatusFlags & OpenFlags.O_NONBLOCK) == 0;
        ulong deadline = Deadline(t, socket.Options.ReceiveTimeout);
        while (true)
        {
            ThreadWaiter? waiter = waits ? new ThreadWaiter(t, PollEvents.POLLIN) : null;
            TcpSocket? child = null;
            long n = await socket.Run(t, () => socket.Accept(waiter, out child));
            if (n == FileRequest.WouldBlock)
            {
                long woken = await WaitOnce(t, waiter!, deadline);
                if (woken < 0) return woken;
                continue;
            }
            if (n < 0) return n;
            accepted(new TcpSocketFile(child!, (flags & SocketConstants.SOCK_NONBLOCK) != 0 ? OpenFlags.O_NONBLOCK : 0));
            return 0;
        }
    }

    // ---- data ----------------------------------------------------------------------------

    /// <summary>send/sendto/sendmsg/write: the count queued, or -errno.</summary>
    /// <summary>tcp_sendmsg ignores an address: the connection names the peer.</summary>
    public override KernelTask<long> SendToAsync(UserThread t, IoVector data, int flags, byte[]? sockaddr) => SendAsync(t, data, flags);

    public override async KernelTask<long> SendAsync(UserThread t, IoVector data, int flags)
    {
        if ((flags & SocketConstants.MSG_OOB) != 0) return -Errno.EOPNOTSUPP;
        byte[] chunk = TakeBuffer(data.Total);
        long r = await Send(t, data, flags, chunk);
        GiveBack(chunk);
        return r;
    }

    private async KernelTask<long> Send(UserThread t, IoVector data, int flags, byte[] chunk)
    {
        TcpSocket socket = Socket;
        bool waits = Waits(flags);
        ulong deadline = Deadline(t, socket.Options.SendTimeout);
        long sent = 0;
        long r = 0;
        while (sent < data.Total || (data.Total == 0 && sent == 0 && r == 0))
        {
            int length = (int)Math.Min(data.Total - sent, Chunk);
            if (length > 0 && data.Gather(t.Process.UserMemory, sent, new Span<byte>(chunk, 0, length)) != 0)
            {
                r = -Errno.EFAULT;
                break;
            }
            int offset = 0;
            while (offset < length || length == 0)
            {
                ThreadWaiter? waiter = waits ? new ThreadWaiter(t, PollEvents.POLLOUT) : null;
                int at = offset, left = length - offset;
                // Data is posted to the receiver, not delivered by this thread: waiting here for the
                // receiver's CPU (busy, perhaps, with the reader's own user code) would stall the stream.
                long n = await socket.Run(t, () => socket.Write(chunk, at, left, waiter));
                if (n == FileRequest.WouldBlock)
                {
                    long woken = await WaitOnce(t, waiter!, deadline);
                    if (woken < 0)
                    {
                        r = woken;
                        break;
                    }
                    continue;
                }
                if (n < 0)
                {
                    r = n;
                    break;
                }
                offset += (int)n;
                if (length == 0) break;
                if (!waits && offset < length) break;
            }
            sent += offset;
            if (r != 0 || length == 0 || offset < length) break;
        }
        if (sent > 0) return sent;
        if (r == -Errno.EPIPE && (flags & SocketConstants.MSG_NOSIGNAL) == 0)
        {
            UserProcess p = t.Process;
            SignalDelivery.Raise(t, Signal.SIGPIPE, 0, p.OwnPid, p.Uid);
        }
        return r;
    }

    /// <summary>recv/recvfrom/recvmsg/read: the count (0 at the end of the stream) or -errno.</summary>
    public override async KernelTask<long> ReceiveAsync(UserThread t, IoVector data, int flags, Received? received)
    {
        if ((flags & SocketConstants.MSG_OOB) != 0) return -Errno.EOPNOTSUPP;
        byte[] into = TakeBuffer(data.Total);
        long r = await Receive(t, data, flags, received, into);
        GiveBack(into);
        return r;
    }

    private async KernelTask<long> Receive(UserThread t, IoVector data, int flags, Received? received, byte[] into)
    {
        bool peek = (flags & SocketConstants.MSG_PEEK) != 0;
        bool waits = Waits(flags);
        bool waitAll = !peek && (flags & SocketConstants.MSG_WAITALL) != 0;
        TcpSocket socket = Socket;
        ulong deadline = Deadline(t, socket.Options.ReceiveTimeout);
        long copied = 0;
        while (true)
        {
            int length = (int)Math.Min(data.Total - copied, into.Length);
            var buffer = length == into.Length ? into : new byte[length];
            ThreadWaiter? waiter = waits ? new ThreadWaiter(t, PollEvents.POLLIN) : null;
            long n = length == 0 ? 0 : await socket.Run(t, () => socket.Read(buffer, peek, waiter));
            if (n == FileRequest.WouldBlock)
            {
                long woken = await WaitOnce(t, waiter!, deadline);
                if (woken < 0) return copied > 0 ? copied : woken;
                continue;
            }
            if (n < 0) return copied > 0 ? copied : n;
            if (n > 0 && data.Scatter(t.Process.UserMemory, copied, buffer, (int)n) != 0) return copied > 0 ? copied : -Errno.EFAULT;
            copied += n;
            if (!waitAll || n == 0 || copied >= data.Total) return copied;
        }
    }

    /// <summary>shutdown(2), with mode as sk_shutdown bits; a FIN it sends reaches a peer over lo
    /// before it returns.</summary>
    public async KernelTask<long> ShutdownAsync(UserThread t, int mode)
    {
        TcpSocket socket = Socket;
        var deliveries = new List<InetStack.Delivery>(1);
        long r = await socket.Run(t, () => socket.Collecting(deliveries, () => socket.Shutdown(mode)));
        await InetStack.Complete(t, deliveries);
        return r;
    }
}
