// UdpSocketFile: the open file description of an AF_INET SOCK_DGRAM socket
// (udp(7), ip(7)). Its state lives with the UdpSocket actor, its port with
// the InetStack; the calls run here on the calling thread as steps on those
// two actors, and a send builds its whole IPv4 packet here, so neither actor
// copies user memory.
//
// Semantics, as Linux's inet_dgram_connect, udp_sendmsg and udp_recvmsg give
// them: an unbound socket is bound to an ephemeral port (address 0.0.0.0) by
// its first send or connect; connect fixes the peer and the local address the
// route chooses; AF_UNSPEC disconnects. A send is one datagram, whole or not
// at all (-EMSGSIZE above 65507 bytes); without an address it goes to the
// peer (-EDESTADDRREQ unconnected); to a broadcast address only with
// SO_BROADCAST (-EACCES), once routed (-ENETUNREACH first). A pending error (ECONNREFUSED from a port
// unreachable, on a connected socket) is the next send's or receive's result.
// A receive takes one datagram (MSG_TRUNC: its whole length; cut short:
// MSG_TRUNC in msg_flags), waiting while none is queued.
using System;
using System.Collections.Generic;
using Kevlar.Net;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files.Sockets.Inet;

public sealed class UdpSocketFile : InetSocketFile
{
    public readonly UdpSocket Socket;

    public UdpSocketFile(UdpSocket socket, int flags) : base(socket, flags) => Socket = socket;

    // ---- names ---------------------------------------------------------------------------

    /// <summary>connect(2): 0, or -EINVAL, -EAFNOSUPPORT, -ENETUNREACH, -EAGAIN (no ephemeral port).</summary>
    public override async KernelTask<long> ConnectAsync(UserThread t, byte[] sockaddr)
    {
        UdpSocket socket = Socket;
        InetStack stack = Stack;
        PortBinding<InetSocket> b = socket.Binding;
        if (sockaddr.Length < 2) return -Errno.EINVAL;
        if (System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(sockaddr) == SocketConstants.AF_UNSPEC)
        {
            long keep = await socket.Run(t, () => socket.Disconnect());
            return await stack.Run(t, () => stack.DisconnectUdp(b, (keep & 1) != 0, (keep & 2) != 0));
        }
        int r = InetAddress.Parse(sockaddr, out InetAddress to, out int family);
        if (r != 0) return r;
        if (family != SocketConstants.AF_INET) return -Errno.EAFNOSUPPORT;
        long e = await Bind(t, InetAddress.Unbound, false);
        if (e != 0) return e;
        r = Stack.Route(to.Address, out uint source);
        if (r != 0) return r;
        var remote = new InetAddress(InetStack.Destination(to.Address), to.Port);
        await stack.Run(t, () => stack.ConnectUdp(b, source, remote.Address, remote.Port));
        return await socket.Run(t, () => socket.SetRemote(remote, source));
    }

    // ---- data ----------------------------------------------------------------------------

    /// <summary>sendto/sendmsg of one datagram to <paramref name="sockaddr"/> or the peer: the count or -errno.</summary>
    public override async KernelTask<long> SendToAsync(UserThread t, IoVector data, int flags, byte[]? sockaddr)
    {
        if ((flags & SocketConstants.MSG_OOB) != 0) return -Errno.EOPNOTSUPP;
        if (data.Total > UdpSocket.MaxPayload) return -Errno.EMSGSIZE;
        InetAddress? to = null;
        if (sockaddr != null)
        {
            int r = InetAddress.ParseDestination(sockaddr, out InetAddress parsed);
            if (r != 0) return r;
            if (parsed.Port == 0) return -Errno.EINVAL;
            to = parsed;
        }
        UdpSocket socket = Socket;
        InetAddress local = InetAddress.Unbound;
        InetAddress? remote = null;
        long e = await socket.Run(t, () =>
        {
            local = socket.Local;
            remote = socket.Remote;
            return socket.CheckSend();
        });
        if (e != 0) return e;
        to ??= remote;
        if (to == null) return -Errno.EDESTADDRREQ;
        int routed = Stack.Route(to.Address, out uint source);
        if (routed != 0) return routed;
        // udp_sendmsg: a route to a broadcast address needs SO_BROADCAST.
        if (Stack.IsBroadcast(to.Address) && !socket.Options.Flag(SocketConstants.SO_BROADCAST)) return -Errno.EACCES;
        if (local.Port == 0)
        {
            e = await Bind(t, InetAddress.Unbound, false);
            if (e != 0) return e;
            await socket.Run(t, () =>
            {
                local = socket.Local;
                return 0;
            });
        }
        if (local.Address != InetAddress.Any) source = local.Address;
        uint destination = InetStack.Destination(to.Address);
        int length = (int)data.Total;
        var packet = new byte[Ipv4Header.MinLength + UdpHeader.Length + length];
        if (length > 0 && data.Gather(t.Process.UserMemory, 0, new Span<byte>(packet, Ipv4Header.MinLength + UdpHeader.Length, length)) != 0)
            return -Errno.EFAULT;
        UdpHeader.Write(new Span<byte>(packet, Ipv4Header.MinLength, UdpHeader.Length + length), local.Port, to.Port, source, destination, Stack.NeedsChecksumsTo(destination));
        Ipv4Header.Write(packet, packet.Length, InetStack.NextId(), socket.Ttl, Ipv4Header.ProtocolUdp, source, destination);
        // Sent on this thread: the stack's actor is not asked (InetStack: lookups are lock-free).
        Stack.Transmit(packet, out List<InetStack.Delivery>? deliveries);
        System.Threading.Interlocked.Increment(ref Stack.UdpOutDatagrams);
        await InetStack.Complete(t, deliveries);
        return length;
    }

    /// <summary>recvfrom/recvmsg of one datagram: the count (MSG_TRUNC: the datagram's length) or -errno.</summary>
    public override KernelTask<long> ReceiveAsync(UserThread t, IoVector data, int flags, Received? received)
    {
        UdpSocket socket = Socket;
        return ReceiveDatagram(t, data, flags, received, UdpSocket.MaxPayload, socket.Options.ReceiveTimeout,
            into => socket.Receive(into));
    }

    /// <summary>shutdown(2), with mode as sk_shutdown bits.</summary>
    public KernelTask<long> ShutdownAsync(UserThread t, int mode)
    {
        UdpSocket socket = Socket;
        return socket.Run(t, () => socket.Shutdown(mode));
    }
}
