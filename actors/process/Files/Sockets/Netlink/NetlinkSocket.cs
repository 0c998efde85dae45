// NetlinkSocket: the actor that owns one AF_NETLINK NETLINK_ROUTE socket
// (netlink(7)) — its port id, its queue of replies from the kernel, its
// options — homed on the CPU that made it. A request is answered on the
// sending thread (RouteNetlink reads the interfaces as hints) and the reply
// queued here; readers wait here. Each reply is one datagram: a read takes
// one, whole or cut (MSG_TRUNC).
//
// State (owned here): _portId (0 until bound or autobound), _queue and its
// bytes (at most the receive buffer; a reply beyond it is dropped and the
// next read says ENOBUFS, as Linux's netlink overrun does), _overrun,
// Options (the waiters in SocketActor).
// Waits on: nothing.
using System;
using System.Collections.Generic;
using System.Threading;
using Kevlar.Net;

namespace Kevlar.Process.Files.Sockets.Netlink;

public sealed class NetlinkSocket : ProtocolSocket
{
    public override string DiagnosticName => "netlink socket";

    public readonly int Type;
    public readonly SocketOptions Options = new SocketOptions();
    private uint _portId, _groups;
    private readonly PacketQueue _queue = new PacketQueue();
    private bool _overrun;

    public NetlinkSocket(int type) => Type = type;

    internal NetlinkAddress Name => new NetlinkAddress(_portId, _groups);

    /// <summary>bind: the port id asked for (0: the one autobind picks), the groups kept.</summary>
    internal long Bind(uint portId, uint groups, uint autobind)
    {
        if (_portId != 0 && portId != 0 && portId != _portId) return -Errno.EINVAL;
        if (_portId == 0) _portId = portId != 0 ? portId : autobind;
        _groups = groups;
        return 0;
    }

    /// <summary>The port id, autobinding to <paramref name="autobind"/> first when unbound.</summary>
    internal long PortId(uint autobind)
    {
        if (_portId == 0) _portId = autobind;
        return _portId;
    }

    /// <summary>A reply from the kernel: queued, or dropped with the overrun noted when the buffer is full.</summary>
    internal long Deliver(byte[] reply)
    {
        if (_queue.Bytes + reply.Length > Options.ReceiveBuffer && _queue.Count > 0)
        {
            _overrun = true;
            return 0;
        }
        _queue.Add(reply);
        InputChanged(PollEvents.POLLIN | PollEvents.POLLRDNORM);
        return 0;
    }

    /// <summary>A read: the oldest reply (kept with MSG_PEEK), from the kernel; -ENOBUFS
    /// once after an overrun; -EAGAIN without a waiter, else WouldBlock.</summary>
    internal long Receive(DatagramRead into)
    {
        if (_overrun)
        {
            _overrun = false;
            return -Errno.ENOBUFS;
        }
        long n = _queue.Read(into, Readers, out byte[]? reply);
        if (reply != null) into.Source = NetlinkAddress.Kernel;
        return n;
    }

    internal override int Poll(int events, FileWaiter? waiter)
    {
        int mask = PollEvents.POLLOUT | PollEvents.POLLWRNORM;
        if (_queue.Count > 0) mask |= PollEvents.POLLIN | PollEvents.POLLRDNORM;
        if (_overrun) mask |= PollEvents.POLLERR;
        if ((mask & (events | PollEvents.Always)) == 0 && waiter != null) Readers.Add(waiter);
        return mask;
    }

    /// <summary>FIONREAD: the next reply's length.</summary>
    internal override long InboundBytes() => _queue.NextLength;

    internal override void Close()
    {
        _queue.Clear();
    }

    internal override long GetOption(int level, int name, Span<byte> value)
    {
        if (level != SocketConstants.SOL_SOCKET) return -Errno.ENOPROTOOPT;
        int v;
        switch (name)
        {
            case SocketConstants.SO_TYPE: v = Type; break;
            case SocketConstants.SO_DOMAIN: v = SocketConstants.AF_NETLINK; break;
            case SocketConstants.SO_PROTOCOL: v = NetlinkWire.NETLINK_ROUTE; break;
            case SocketConstants.SO_ERROR: v = 0; break;
            default: return Options.Get(name, value);
        }
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(value, v);
        return 4;
    }

    /// <summary>setsockopt: SOL_SOCKET as SocketOptions; SOL_NETLINK options are accepted as Linux
    /// accepts them for rtnetlink's clients (NETLINK_EXT_ACK and the like change nothing here).</summary>
    internal override long SetOption(int level, int name, ReadOnlySpan<byte> value)
    {
        if (level == SocketConstants.SOL_SOCKET) return Options.Set(name, value);
        if (level == NetlinkSocketFile.SOL_NETLINK) return value.Length < 4 ? -Errno.EINVAL : 0;
        return -Errno.ENOPROTOOPT;
    }
}
