// ProtocolSocketFile: the file of a ProtocolSocket — poll, epoll's edge
// counts, FIONREAD, getsockopt/setsockopt and the last close, each one
// request to the socket's actor — and the read of one datagram (or raw
// packet, or netlink reply) that UDP, raw and netlink sockets share.
using System;
using Kevlar.Net;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files.Sockets;

public abstract class ProtocolSocketFile : SocketFile
{
    public readonly ProtocolSocket Actor;

    protected ProtocolSocketFile(ProtocolSocket actor, int flags)
    {
        Actor = actor;
        StatusFlags = OpenFlags.O_RDWR | flags;
    }

    public override ulong Inode => Actor.Inode;

    /// <summary>bind(2) with the sockaddr's bytes: 0 or -errno.</summary>
    public abstract KernelTask<long> BindAsync(UserThread t, byte[] sockaddr);

    /// <summary>connect(2) with the sockaddr's bytes: 0 or -errno.</summary>
    public abstract KernelTask<long> ConnectAsync(UserThread t, byte[] sockaddr);

    /// <summary>getsockname / getpeername: the name copied out, or -errno.</summary>
    public abstract KernelTask<long> NameAsync(UserThread t, bool peer, ulong address, ulong lengthAddress);

    /// <summary>sendto/sendmsg with the destination's sockaddr bytes (null: none given).</summary>
    public abstract KernelTask<long> SendToAsync(UserThread t, IoVector data, int flags, byte[]? sockaddr);

    public override KernelTask<long> SendAsync(UserThread t, IoVector data, int flags) => SendToAsync(t, data, flags, null);

    public override KernelTask<long> PollAsync(UserThread t, int events, FileWaiter? waiter)
    {
        ProtocolSocket socket = Actor;
        return socket.Run(t, () => socket.Poll(events, waiter));
    }

    public override ulong EdgeCount(int events) => Actor.Edges(events);

    protected override KernelTask<long> InboundBytes(UserThread t)
    {
        ProtocolSocket socket = Actor;
        return socket.Run(t, () => socket.InboundBytes());
    }

    public KernelTask<long> GetOption(UserThread t, int level, int name, byte[] value)
    {
        ProtocolSocket socket = Actor;
        return socket.Run(t, () => socket.GetOption(level, name, value));
    }

    public KernelTask<long> SetOption(UserThread t, int level, int name, byte[] value)
    {
        ProtocolSocket socket = Actor;
        return socket.Run(t, () => socket.SetOption(level, name, value));
    }

    protected override void OnLastClose()
    {
        Actor.MarkClosing();
        Actor.Post(() =>
        {
            Actor.Close();
            return 0;
        });
    }

    /// <summary>recvmsg of one datagram, asked of the actor by <paramref name="take"/> (count, -errno, or
    /// WouldBlock with the waiter registered), waiting as the flags and SO_RCVTIMEO allow: the count
    /// (MSG_TRUNC: the whole length; cut short: MSG_TRUNC in msg_flags) or -errno.</summary>
    protected async KernelTask<long> ReceiveDatagram(UserThread t, IoVector data, int flags, Received? received, int most,
        ulong timeout, Func<DatagramRead, long> take)
    {
        if ((flags & SocketConstants.MSG_OOB) != 0) return -Errno.EOPNOTSUPP;
        bool peek = (flags & SocketConstants.MSG_PEEK) != 0;
        bool waits = Waits(flags);
        ulong deadline = Deadline(t, timeout);
        var d = new DatagramRead((int)Math.Min(data.Total, most));
        ProtocolSocket socket = Actor;
        while (true)
        {
            ThreadWaiter? waiter = waits ? new ThreadWaiter(t, PollEvents.POLLIN) : null;
            d.Peek = peek;
            d.Waiter = waiter;
            long n = await socket.Run(t, () => take(d));
            if (n == FileRequest.WouldBlock)
            {
                long woken = await WaitOnce(t, waiter!, deadline);
                if (woken < 0) return woken;
                continue;
            }
            if (n < 0) return n;
            if (n > 0 && data.Scatter(t.Process.UserMemory, 0, d.Into, (int)n) != 0) return -Errno.EFAULT;
            if (received != null)
            {
                received.Source = d.Source;
                if (d.FullLength > n) received.MessageFlags |= SocketConstants.MSG_TRUNC;
            }
            return (flags & SocketConstants.MSG_TRUNC) != 0 ? d.FullLength : n;
        }
    }
}
