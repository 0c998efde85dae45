// UdpSocket: the actor that owns one AF_INET SOCK_DGRAM socket (udp(7)) —
// its name, its connected peer, its queue of received datagrams, its pending
// error and shutdown bits, its options — homed on the CPU that made it. The
// stack (InetStack) owns the socket's PortBinding and posts datagrams and
// ICMP errors here; the calling thread's UdpSocketFile asks for the rest.
//
// State (owned here; the name, options and waiters in InetSocket):
//   _queue, _queuedBytes  received datagrams and the receive-buffer charge
//   _error, _shutdown, _closed
//   Readers             threads waiting for a datagram, an error or a shutdown
// Invariants:
//   1. Every change that may make POLLIN or POLLERR true wakes Readers.
//   2. _queuedBytes is the sum of the queued datagrams' charges and stays
//      within the receive buffer but for the one datagram that crossed it
//      (udp_rmem_schedule lets one datagram exceed it, none after).
// Waits on: nothing (replies at once; waiting is the caller's FileWaiter).
using System;
using System.Collections.Generic;
using System.Threading;
using Kevlar.Net;

namespace Kevlar.Process.Files.Sockets.Inet;

public sealed class UdpSocket : InetSocket
{
    public override string DiagnosticName => "udp socket";

    /// <summary>What a queued datagram charges beyond its data (an sk_buff's truesize overhead).</summary>
    public const int DatagramOverhead = 768;
    /// <summary>The largest UDP payload over IPv4: 65535 - 20 - 8.</summary>
    public const int MaxPayload = 65507;

    private sealed class Datagram
    {
        public readonly InetAddress Source;
        public readonly byte[] Data;

        public Datagram(InetAddress source, byte[] data)
        {
            Source = source;
            Data = data;
        }
    }

    private bool _closed;
    private readonly Queue<Datagram> _queue = new Queue<Datagram>();
    private int _queuedBytes;
    private int _error, _shutdown;

    public UdpSocket(InetStack stack) : base(stack) { }


    public override int Type => SocketConstants.SOCK_DGRAM;
    public override int Protocol => Ipv4Header.ProtocolUdp;
    public override int StateHint => Volatile.Read(ref _remote) != null ? (int)TcpState.Established : (int)TcpState.Closed;
    public override int SendQueueHint => 0;
    public override int ReceiveQueueHint => Volatile.Read(ref _queuedBytes);

    /// <summary>connect's last step: the peer and the local address the route chose.</summary>
    internal long SetRemote(InetAddress remote, uint localAddress)
    {
        _remote = remote;
        if (_local.Address == InetAddress.Any) _local = new InetAddress(localAddress, _local.Port);
        return 0;
    }

    /// <summary>connect(AF_UNSPEC), udp_disconnect: the peer forgotten, the address and port too unless
    /// bind chose them. Returns whether the stack must keep (bit 0) the address, (bit 1) the port.</summary>
    internal long Disconnect()
    {
        _remote = null;
        if (!_userAddress) _local = new InetAddress(InetAddress.Any, _local.Port);
        if (!_userPort) _local = InetAddress.Unbound;
        return (_userAddress ? 1 : 0) | (_userPort ? 2 : 0);
    }

    // ---- data ----------------------------------------------------------------------------

    /// <summary>send, first step: the pending error (taken: -errno), -EPIPE after SHUT_WR; else 0.</summary>
    internal long CheckSend()
    {
        if (_error != 0) return -TakeError();
        if ((_shutdown & SocketConstants.SEND_SHUTDOWN) != 0) return -Errno.EPIPE;
        return 0;
    }

    /// <summary>A datagram from the stack: queued (false when the receive buffer is full or closed).</summary>
    internal bool Deliver(InetAddress source, byte[] data)
    {
        if (_closed) return false;
        int charge = data.Length + DatagramOverhead;
        if (_queuedBytes > Options.ReceiveBuffer) return false;
        _queue.Enqueue(new Datagram(source, data));
        _queuedBytes += charge;
        InputChanged(PollEvents.POLLIN | PollEvents.POLLRDNORM);
        return true;
    }

    /// <summary>An ICMP error about a datagram sent from here (__udp4_lib_err): kept as the socket's
    /// error when connected and the error is hard (port or protocol unreachable), as Linux does
    /// without IP_RECVERR.</summary>
    internal long IcmpError(int error, bool hard)
    {
        if (_closed || !hard || _remote == null) return 0;
        _error = error;
        InputChanged(PollEvents.POLLERR);
        return 0;
    }

    internal override int TakeError()
    {
        int e = _error;
        _error = 0;
        return e;
    }

    /// <summary>recvmsg (udp_recvmsg): the pending error first (taken), then the oldest datagram
    /// (kept with MSG_PEEK); empty: 0 after SHUT_RD for a waiting reader, -EAGAIN
    /// without a waiter, else WouldBlock with it registered.</summary>
    internal long Receive(DatagramRead into)
    {
        if (_error != 0) return -TakeError();
        if (_queue.Count == 0)
        {
            if (into.Waiter == null) return -Errno.EAGAIN;
            if ((_shutdown & SocketConstants.RCV_SHUTDOWN) != 0) return 0;
            Readers.Add(into.Waiter);
            return FileRequest.WouldBlock;
        }
        Datagram d = into.Peek ? _queue.Peek() : _queue.Dequeue();
        if (!into.Peek) _queuedBytes -= d.Data.Length + DatagramOverhead;
        int n = Math.Min(into.Into.Length, d.Data.Length);
        new ReadOnlySpan<byte>(d.Data, 0, n).CopyTo(into.Into);
        into.FullLength = d.Data.Length;
        into.Source = d.Source;
        return n;
    }

    /// <summary>FIONREAD (udp_ioctl SIOCINQ): the first datagram's length, 0 when none.</summary>
    internal override long InboundBytes() => _queue.Count == 0 ? 0 : _queue.Peek().Data.Length;

    /// <summary>datagram_poll: POLLERR for a pending error, POLLIN for a datagram, POLLRDHUP and
    /// POLLIN after SHUT_RD, POLLHUP after both; always writable (a datagram is sent at once).
    /// Registers <paramref name="waiter"/> when none of <paramref name="events"/> holds.</summary>
    internal override int Poll(int events, FileWaiter? waiter)
    {
        int mask = PollEvents.POLLOUT | PollEvents.POLLWRNORM | PollEvents.POLLWRBAND;
        if (_error != 0) mask |= PollEvents.POLLERR;
        if (_shutdown == SocketConstants.SHUTDOWN_MASK) mask |= PollEvents.POLLHUP;
        if ((_shutdown & SocketConstants.RCV_SHUTDOWN) != 0) mask |= PollEvents.POLLRDHUP | PollEvents.POLLIN | PollEvents.POLLRDNORM;
        if (_queue.Count > 0) mask |= PollEvents.POLLIN | PollEvents.POLLRDNORM;
        if ((mask & (events | PollEvents.Always)) == 0 && waiter != null) Readers.Add(waiter);
        return mask;
    }

    /// <summary>shutdown (inet_shutdown): the bits set and readers woken; -ENOTCONN when unconnected
    /// (the bits are set all the same, as Linux does).</summary>
    internal long Shutdown(int mode)
    {
        _shutdown |= mode;
        InputChanged(PollEvents.POLLIN | PollEvents.POLLRDHUP | PollEvents.POLLHUP);
        return _remote == null ? -Errno.ENOTCONN : 0;
    }

    /// <summary>The last fd closed: the queue dropped, the port given back.</summary>
    internal override void Close()
    {
        if (_closed) return;
        _closed = true;
        _queue.Clear();
        _queuedBytes = 0;
        InetStack stack = Stack;
        PortBinding<InetSocket> b = Binding;
        if (_local.Port != 0) stack.Post(() =>
        {
            stack.Unbind(Ipv4Header.ProtocolUdp, b);
            return 0;
        });
    }
}
