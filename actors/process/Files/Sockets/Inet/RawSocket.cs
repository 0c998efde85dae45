// RawSocket: the actor that owns one AF_INET SOCK_RAW socket of
// IPPROTO_ICMP (raw(7)) — the queue of ICMP packets it was handed (each a
// whole IPv4 packet, header included, as a raw socket reads them), its
// connected peer, its options — homed on the CPU that made it. The stack
// hands every ICMP packet it receives to each raw ICMP socket (and still
// answers echo requests itself), which is what ping needs.
//
// State (owned here): _queue and its bytes (within SO_RCVBUF), _peer, _closed,
// Options, _ttl (the waiters in SocketActor).
// Waits on: nothing.
using System;
using System.Collections.Generic;
using Kevlar.Net;

namespace Kevlar.Process.Files.Sockets.Inet;

public sealed class RawSocket : ProtocolSocket
{
    public override string DiagnosticName => "raw socket";

    public readonly InetStack Stack;
    public readonly SocketOptions Options = new SocketOptions();
    private readonly PacketQueue _queue = new PacketQueue();
    private int _ttl = -1;
    private InetAddress? _peer;
    private uint _bound;
    private bool _closed;

    public RawSocket(InetStack stack) => Stack = stack;

    internal byte Ttl => (byte)(_ttl < 0 ? Ipv4Header.DefaultTtl : _ttl);
    internal InetAddress? Peer => _peer;

    /// <summary>getsockname's answer: the bound address, and the protocol as the port (inet_getname
    /// reports a raw socket's inet_num, its protocol).</summary>
    internal InetAddress Name => new InetAddress(_bound, InetOptions.IPPROTO_ICMP);

    /// <summary>bind (raw_bind): the address packets must be sent to for this socket to get them.</summary>
    internal long Bind(uint address)
    {
        _bound = address;
        return 0;
    }

    internal long SetPeer(InetAddress? peer)
    {
        _peer = peer;
        return 0;
    }

    /// <summary>An ICMP packet from the stack: queued unless closed or over the receive buffer.</summary>
    internal long Deliver(byte[] packet)
    {
        if (_closed || _queue.Bytes + packet.Length > Options.ReceiveBuffer) return 0;
        if (_bound != InetAddress.Any && System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(packet, 16, 4)) != _bound) return 0;
        _queue.Add(packet);
        InputChanged(PollEvents.POLLIN | PollEvents.POLLRDNORM);
        return 0;
    }

    /// <summary>A read: the oldest packet (header included), from its sender; -EAGAIN without a
    /// waiter, else WouldBlock.</summary>
    internal long Receive(DatagramRead into)
    {
        long n = _queue.Read(into, Readers, out byte[]? packet);
        if (packet != null) into.Source = new InetAddress(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(packet, 12, 4)), 0);
        return n;
    }

    internal override int Poll(int events, FileWaiter? waiter)
    {
        int mask = PollEvents.POLLOUT | PollEvents.POLLWRNORM | PollEvents.POLLWRBAND;
        if (_queue.Count > 0) mask |= PollEvents.POLLIN | PollEvents.POLLRDNORM;
        if ((mask & (events | PollEvents.Always)) == 0 && waiter != null) Readers.Add(waiter);
        return mask;
    }

    internal override long InboundBytes() => _queue.NextLength;

    internal override void Close()
    {
        _closed = true;
        _queue.Clear();
        Stack.ChangeRaw(this, true);
    }

    internal override long GetOption(int level, int name, Span<byte> value)
    {
        int v;
        if (level == InetOptions.IPPROTO_IP && name == InetOptions.IP_TTL) v = Ttl;
        else if (level == SocketConstants.SOL_SOCKET)
        {
            switch (name)
            {
                case SocketConstants.SO_TYPE: v = SocketConstants.SOCK_RAW; break;
                case SocketConstants.SO_DOMAIN: v = SocketConstants.AF_INET; break;
                case SocketConstants.SO_PROTOCOL: v = InetOptions.IPPROTO_ICMP; break;
                case SocketConstants.SO_ERROR: v = 0; break;
                default: return Options.Get(name, value);
            }
        }
        else return -Errno.ENOPROTOOPT;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(value, v);
        return 4;
    }

    internal override long SetOption(int level, int name, ReadOnlySpan<byte> value)
    {
        if (level == SocketConstants.SOL_SOCKET) return Options.Set(name, value);
        if (level != InetOptions.IPPROTO_IP) return -Errno.ENOPROTOOPT;
        if (value.Length < 1) return -Errno.EINVAL;
        int v = value.Length >= 4 ? System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(value) : value[0];
        if (name != InetOptions.IP_TTL) return -Errno.ENOPROTOOPT;
        if (v != -1 && (v < 1 || v > 255)) return -Errno.EINVAL;
        _ttl = v;
        return 0;
    }
}
