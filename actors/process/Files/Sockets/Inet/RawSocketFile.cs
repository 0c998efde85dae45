// RawSocketFile: the open file description of an AF_INET SOCK_RAW
// IPPROTO_ICMP socket (raw(7), for root only: CAP_NET_RAW). A send is one
// ICMP message — its checksum the caller's, as on Linux — to which the
// stack adds the IPv4 header (IP_HDRINCL is not implemented); it needs an
// address (-EDESTADDRREQ unconnected). A receive takes one ICMP packet with
// its IPv4 header (MSG_TRUNC and MSG_PEEK as for datagrams), from its
// sender's address.
using System;
using System.Collections.Generic;
using Kevlar.Net;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files.Sockets.Inet;

public sealed class RawSocketFile : SocketFile
{
    public readonly RawSocket Socket;

    public RawSocketFile(RawSocket socket, int flags)
    {
        Socket = socket;
        StatusFlags = OpenFlags.O_RDWR | flags;
    }

    public override int Family => SocketConstants.AF_INET;
    public override int Type => SocketConstants.SOCK_RAW;
    public override ulong Inode => Socket.Inode;

    /// <summary>bind (raw_bind): -EINVAL when short, -EADDRNOTAVAIL for an address not this host's.</summary>
    public KernelTask<long> BindAsync(UserThread t, byte[] sockaddr)
    {
        int r = InetAddress.Parse(sockaddr, out InetAddress a, out _);
        if (r != 0) return KernelTask<long>.FromResult(r);
        if (a.Address != InetAddress.Any && !InetStack.IsLocal(a.Address)) return KernelTask<long>.FromResult(-Errno.EADDRNOTAVAIL);
        RawSocket socket = Socket;
        return socket.Run(t, () => socket.Bind(a.Address));
    }

    /// <summary>getsockname / getpeername (-ENOTCONN without a peer).</summary>
    public async KernelTask<long> NameAsync(UserThread t, bool peer, ulong address, ulong lengthAddress)
    {
        RawSocket socket = Socket;
        SocketAddress? name = null;
        await socket.Run(t, () =>
        {
            name = peer ? socket.Peer : socket.Name;
            return 0;
        });
        if (name == null) return -Errno.ENOTCONN;
        return Syscalls.SocketArgs.CopyOut(t, name, address, lengthAddress);
    }

    /// <summary>connect: the default destination (AF_UNSPEC: none).</summary>
    public KernelTask<long> ConnectAsync(UserThread t, byte[] sockaddr)
    {
        RawSocket socket = Socket;
        if (sockaddr.Length >= 2 && System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(sockaddr) == SocketConstants.AF_UNSPEC)
            return socket.Run(t, () => socket.SetPeer(null));
        int r = InetAddress.Parse(sockaddr, out InetAddress to, out int family);
        if (r != 0) return KernelTask<long>.FromResult(r);
        if (family != SocketConstants.AF_INET) return KernelTask<long>.FromResult(-Errno.EAFNOSUPPORT);
        return socket.Run(t, () => socket.SetPeer(to));
    }

    public override KernelTask<long> WriteAsync(UserThread t, ulong buffer, ulong count)
        => SendAsync(t, IoVector.Single(buffer, count), 0, null);

    public override KernelTask<long> ReadAsync(UserThread t, ulong buffer, ulong count)
        => ReceiveAsync(t, IoVector.Single(buffer, count), 0, null);

    public override KernelTask<long> SendAsync(UserThread t, IoVector data, int flags) => SendAsync(t, data, flags, null);

    public async KernelTask<long> SendAsync(UserThread t, IoVector data, int flags, byte[]? sockaddr)
    {
        if ((flags & SocketConstants.MSG_OOB) != 0) return -Errno.EOPNOTSUPP;
        if (data.Total > 65535 - Ipv4Header.MinLength) return -Errno.EMSGSIZE;
        RawSocket socket = Socket;
        InetAddress? to = null;
        if (sockaddr != null)
        {
            int r = InetAddress.Parse(sockaddr, out InetAddress parsed, out int family);
            if (r != 0) return r;
            if (family != SocketConstants.AF_INET && family != SocketConstants.AF_UNSPEC) return -Errno.EAFNOSUPPORT;
            to = parsed;
        }
        else
        {
            await socket.Run(t, () =>
            {
                to = socket.Peer;
                return 0;
            });
            if (to == null) return -Errno.EDESTADDRREQ;
        }
        InetStack stack = socket.Stack;
        int routed = stack.Route(to!.Address, out uint source);
        if (routed != 0) return routed;
        int length = (int)data.Total;
        var packet = new byte[Ipv4Header.MinLength + length];
        if (length > 0 && data.Gather(t.Process.UserMemory, 0, new Span<byte>(packet, Ipv4Header.MinLength, length)) != 0) return -Errno.EFAULT;
        Ipv4Header.Write(packet, packet.Length, InetStack.NextId(), socket.Ttl, Ipv4Header.ProtocolIcmp, source, InetStack.Destination(to.Address));
        stack.Transmit(packet, out List<InetStack.Delivery>? deliveries);
        await InetStack.Complete(t, deliveries);
        return length;
    }

    public override async KernelTask<long> ReceiveAsync(UserThread t, IoVector data, int flags, Received? received)
    {
        if ((flags & SocketConstants.MSG_OOB) != 0) return -Errno.EOPNOTSUPP;
        bool peek = (flags & SocketConstants.MSG_PEEK) != 0;
        bool waits = Waits(flags);
        RawSocket socket = Socket;
        ulong deadline = Deadline(t, socket.Options.ReceiveTimeout);
        var into = new byte[(int)Math.Min(data.Total, 65535)];
        while (true)
        {
            ThreadWaiter? waiter = waits ? new ThreadWaiter(t, PollEvents.POLLIN) : null;
            int full = 0;
            uint source = 0;
            long n = await socket.Run(t, () => socket.Receive(into, peek, waiter, out full, out source));
            if (n == FileRequest.WouldBlock)
            {
                long woken = await WaitOnce(t, waiter!, deadline);
                if (woken < 0) return woken;
                continue;
            }
            if (n < 0) return n;
            if (n > 0 && data.Scatter(t.Process.UserMemory, 0, into, (int)n) != 0) return -Errno.EFAULT;
            if (received != null)
            {
                received.Source = new InetAddress(source, 0);
                if (full > n) received.MessageFlags |= SocketConstants.MSG_TRUNC;
            }
            return (flags & SocketConstants.MSG_TRUNC) != 0 ? full : n;
        }
    }

    public KernelTask<long> GetOption(UserThread t, int level, int name, byte[] value)
    {
        RawSocket socket = Socket;
        return socket.Run(t, () => socket.GetOption(level, name, value));
    }

    public KernelTask<long> SetOption(UserThread t, int level, int name, byte[] value)
    {
        RawSocket socket = Socket;
        return socket.Run(t, () => socket.SetOption(level, name, value));
    }

    public override KernelTask<long> PollAsync(UserThread t, int events, FileWaiter? waiter)
    {
        RawSocket socket = Socket;
        return socket.Run(t, () => socket.Poll(events, waiter));
    }

    public override ulong EdgeCount(int events) => Socket.Edges(events);

    protected override KernelTask<long> InboundBytes(UserThread t)
    {
        RawSocket socket = Socket;
        return socket.Run(t, () => socket.InboundBytes());
    }

    protected override void OnLastClose() => Socket.Post(() =>
    {
        Socket.Close();
        return 0;
    });
}
