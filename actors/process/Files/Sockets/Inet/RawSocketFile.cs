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

public sealed class RawSocketFile : ProtocolSocketFile
{
    public readonly RawSocket Socket;

    public RawSocketFile(RawSocket socket, int flags) : base(socket, flags) => Socket = socket;

    public override int Family => SocketConstants.AF_INET;
    public override int Type => SocketConstants.SOCK_RAW;

    /// <summary>bind (raw_bind): -EINVAL when short, -EADDRNOTAVAIL for an address not this host's.</summary>
    public override KernelTask<long> BindAsync(UserThread t, byte[] sockaddr)
    {
        int r = InetAddress.Parse(sockaddr, out InetAddress a, out _);
        if (r != 0) return KernelTask<long>.FromResult(r);
        if (a.Address != InetAddress.Any && !Socket.Stack.IsLocal(a.Address)) return KernelTask<long>.FromResult(-Errno.EADDRNOTAVAIL);
        RawSocket socket = Socket;
        return socket.Run(t, () => socket.Bind(a.Address));
    }

    /// <summary>getsockname / getpeername (-ENOTCONN without a peer).</summary>
    public override async KernelTask<long> NameAsync(UserThread t, bool peer, ulong address, ulong lengthAddress)
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
    public override KernelTask<long> ConnectAsync(UserThread t, byte[] sockaddr)
    {
        RawSocket socket = Socket;
        if (sockaddr.Length >= 2 && System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(sockaddr) == SocketConstants.AF_UNSPEC)
            return socket.Run(t, () => socket.SetPeer(null));
        int r = InetAddress.Parse(sockaddr, out InetAddress to, out int family);
        if (r != 0) return KernelTask<long>.FromResult(r);
        if (family != SocketConstants.AF_INET) return KernelTask<long>.FromResult(-Errno.EAFNOSUPPORT);
        return socket.Run(t, () => socket.SetPeer(to));
    }

    public override async KernelTask<long> SendToAsync(UserThread t, IoVector data, int flags, byte[]? sockaddr)
    {
        if ((flags & SocketConstants.MSG_OOB) != 0) return -Errno.EOPNOTSUPP;
        if (data.Total > 65535 - Ipv4Header.MinLength) return -Errno.EMSGSIZE;
        RawSocket socket = Socket;
        InetAddress? to = null;
        if (sockaddr != null)
        {
            int r = InetAddress.ParseDestination(sockaddr, out InetAddress parsed);
            if (r != 0) return r;
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

    public override KernelTask<long> ReceiveAsync(UserThread t, IoVector data, int flags, Received? received)
    {
        RawSocket socket = Socket;
        return ReceiveDatagram(t, data, flags, received, 65535, socket.Options.ReceiveTimeout,
            into => socket.Receive(into));
    }
}
