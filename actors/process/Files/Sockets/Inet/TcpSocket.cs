// TcpSocket: the actor that owns one AF_INET SOCK_STREAM socket (tcp(7)) —
// as a listener its queue of connections not yet accepted, as a connection
// its TcpConnection (actors/net: the state machine, the buffers, the RTO) and
// the one timer that connection needs — homed on the CPU that made it (an
// accepted socket on its listener's). Segments reach it from the InetStack as
// messages; the packets its connection emits go to the stack as messages
// (Defer, never inline, so neither actor is re-entered mid-handler). The
// calling thread's TcpSocketFile asks for the rest: connect, accept, reads
// and writes, shutdown, close.
//
// A listener's SYN makes a child socket on the listener's CPU, attached to the
// stack's table before its SYN-ACK leaves (both are messages from this CPU,
// so in order); the child tells its listener when it is established (then it
// waits in the accept queue) or gone. At most backlog + 1 children are in
// progress or waiting, so a SYN flood cannot grow the heap (a SYN beyond is
// dropped, as a full Linux queue drops it; the client retries).
//
// State (owned here; the name, options and waiters in InetSocket):
//   _conn                    the connection (null: never connected, or a listener)
//   _listening, _backlog, _accepts, _children   a listener's queue and count
//   _listener                a child's listener until accepted
//   _shutdown, _closed, _released   SHUT_RD/SHUT_WR bits; the last fd closed;
//                            the port given back
//   _seen, _armed, _timerGeneration the connection's changes already announced;
//                            the timer deadline asked for
// Invariants:
//   1. After every handler, waiters have been woken for every connection
//      change (Sync) and a timer is armed at or before NextDeadline.
//   2. The binding leaves the stack's table once, when the socket is closed
//      and its connection is done (TIME_WAIT over).
// Waits on: nothing.
using System;
using System.Collections.Generic;
using Kevlar.Net;
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Process.Files.Sockets.Inet;

public sealed class TcpSocket : InetSocket
{
    public override string DiagnosticName => "tcp socket";

    /// <summary>Linux's TCP_NODELAY, TCP_MAXSEG, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT.</summary>
    public const int TCP_NODELAY = 1, TCP_MAXSEG = 2, TCP_KEEPIDLE = 4, TCP_KEEPINTVL = 5, TCP_KEEPCNT = 6;

    private readonly ITimerService _timers;
    private readonly ISystemClock _clock;
    private TcpConnection? _conn;
    private bool _listening;
    private int _backlog, _children;
    private readonly Queue<TcpSocket> _accepts = new Queue<TcpSocket>();
    private TcpSocket? _listener;
    /// <summary>A listener's children by peer (address, port) until each is gone: a second SYN for one
    /// (a retransmission that reached the listener) goes to that child instead of making another.</summary>
    private readonly System.Collections.Generic.Dictionary<ulong, TcpSocket> _byPeer = new System.Collections.Generic.Dictionary<ulong, TcpSocket>();
    /// <summary>The listener that made this socket (it forgets us when we are gone).</summary>
    private TcpSocket? _origin;
    private int _shutdown;
    private bool _closed, _released, _connecting, _noDelay;
    /// <summary>Linux's socket states: a connect left running (SS_CONNECTING, after -EINPROGRESS or a
    /// signal) until a later connect collects its result; connected (SS_CONNECTED, even once closed).</summary>
    private bool _connectPending, _socketConnected;
    /// <summary>BeginConnect's answer when a connect left running has succeeded: connect returns 0.</summary>
    internal const long ConnectCollected = 1;
    private long _seen = -1;
    private ulong _armed;
    private int _timerGeneration;
    private int _keepIdle = 7200, _keepInterval = 75, _keepCount = 9;

    public TcpSocket(InetStack stack, ITimerService timers, ISystemClock clock) : base(stack)
    {
        _timers = timers;
        _clock = clock;
    }

    public override int Type => SocketConstants.SOCK_STREAM;
    public override int Protocol => Ipv4Header.ProtocolTcp;
    protected override bool Listening => _listening;
    // Hints for /proc/net/tcp (plain reads of the connection's fields from another CPU: a moment's view).
    public override int StateHint => (int)State;
    public override int SendQueueHint => _listening ? _backlog : _conn?.Unacknowledged ?? 0;
    public override int ReceiveQueueHint => _listening ? _accepts.Count : _conn?.Readable ?? 0;
    private ulong Now => _clock.MonotonicNanoseconds;

    /// <summary>The connection's state for /proc/net/tcp (Listen, Closed when none).</summary>
    internal TcpState State => _listening ? TcpState.Listen : _conn?.State ?? TcpState.Closed;

    /// <summary>A packet of this socket's connection, sent from this handler (its deliveries are posted,
    /// so nothing re-enters this socket meanwhile).</summary>
    private void Transmit(byte[] packet) => Stack.Output(packet, _collect);

    // Segments this socket emits while a thread's shutdown or connect runs here (Collecting) go back
    // to that thread, which hands each to its receiver before the call returns — as Linux's lo has
    // the FIN or the SYN at the other socket by then; all others (data too) are posted.
    private List<InetStack.Delivery>? _collect;

    /// <summary>Runs <paramref name="operation"/> (a thread's call) with the segments it emits
    /// collected into <paramref name="deliveries"/> for the thread to make (InetStack.Complete).</summary>
    internal long Collecting(List<InetStack.Delivery> deliveries, Func<long> operation)
    {
        _collect = deliveries;
        long r = operation();
        _collect = null;
        return r;
    }

    private TcpConnection NewConnection(InetAddress local, InetAddress remote)
        => new TcpConnection(local.Address, local.Port, remote.Address, remote.Port, Options.SendBuffer, Options.ReceiveBuffer, Stack.MssTo(remote.Address), Transmit)
        {
            NoDelay = _noDelay,
            Ttl = Ttl,
            Checksums = Stack.NeedsChecksumsTo(remote.Address),
            Statistics = Stack.Tcp,
            KeepAlive = Options.Flag(SocketConstants.SO_KEEPALIVE),
            KeepIdle = (ulong)_keepIdle * 1_000_000_000,
            KeepInterval = (ulong)_keepInterval * 1_000_000_000,
            KeepCount = _keepCount,
        };

    /// <summary>An initial sequence number (RFC 9293 3.4.1: clock-driven, here with the ports mixed in).</summary>
    private uint Iss(InetAddress local, InetAddress remote) => (uint)(Now / 4000) + (uint)(local.Port * 2654435761u) + remote.Port;

    /// <summary>Invariant 1: waiters woken for connection changes, the timer armed, the port given back when done.</summary>
    private void Sync()
    {
        if (_conn == null) return;
        if (_conn.Changes != _seen)
        {
            _seen = _conn.Changes;
            InputChanged(PollEvents.POLLIN | PollEvents.POLLRDNORM | PollEvents.POLLRDHUP | PollEvents.POLLHUP | PollEvents.POLLERR);
            OutputChanged();
        }
        ulong deadline = _conn.NextDeadline;
        if (deadline != 0 && (_armed == 0 || deadline < _armed))
        {
            _armed = deadline;
            _timers.SendAt(deadline, this, new TcpTick(++_timerGeneration));
        }
        if (_conn.State == TcpState.Closed) Done();
    }

    /// <summary>The connection is over: a child not yet accepted leaves its listener; a closed socket
    /// gives its port back.</summary>
    private void Done()
    {
        if (_listener != null)
        {
            TcpSocket listener = _listener;
            TcpSocket child = this;
            _listener = null;
            listener.Defer(() => listener.ChildGone(child, false));
            _closed = true;
        }
        else if (_origin != null && _conn != null && _conn.State == TcpState.Closed)
        {
            // An accepted socket that is done: its listener forgets it.
            TcpSocket origin = _origin, child = this;
            _origin = null;
            origin.Defer(() => origin.ChildGone(child, true));
        }
        Release();
    }

    private void Release()
    {
        if (!_closed || _released || (_conn != null && _conn.State != TcpState.Closed)) return;
        _released = true;
        if (_local.Port == 0) return;
        InetStack stack = Stack;
        PortBinding<InetSocket> b = Binding;
        stack.Post(() =>
        {
            stack.Unbind(Ipv4Header.ProtocolTcp, b);
            return 0;
        });
    }

    protected internal override void Receive(Message m)
    {
        var tick = m as TcpTick;
        if (tick == null)
        {
            base.Receive(m);
            return;
        }
        if (tick.Generation != _timerGeneration) return;
        _armed = 0;
        if (_conn == null) return;
        _conn.Timer(Now);
        Sync();
    }

    // ---- segments from the stack ---------------------------------------------------------

    /// <summary>A segment the stack found for this socket (<paramref name="source"/> sent it to
    /// <paramref name="destination"/>).</summary>
    internal long Segment(TcpHeader h, byte[] packet, int offset, int length, uint source, uint destination)
    {
        var data = new ReadOnlySpan<byte>(packet, offset, length);
        // A segment for a child this socket made as a listener, sent here before the stack knew the
        // child — also after the listener closed (a server may close it right after accept).
        if (_byPeer.Count > 0 && ForwardToChild(h, packet, offset, length, source, destination)) return 0;
        if (_listening)
        {
            ListenerSegment(h, packet, offset, length, source, destination);
            return 0;
        }
        if (_conn == null || _conn.State == TcpState.Closed)
        {
            byte[]? reset = TcpConnection.ResetFor(h, data.Length, source, destination);
            if (reset != null) Transmit(reset);
            return 0;
        }
        bool wasSynchronized = _conn.Synchronized;
        _conn.Input(h, data, Now);
        if (!wasSynchronized && _conn.Synchronized && _listener != null)
        {
            TcpSocket listener = _listener, child = this;
            listener.Defer(() => listener.ChildEstablished(child));
        }
        Sync();
        return 0;
    }

    /// <summary>An ICMP error about a segment this socket sent (TcpConnection.IcmpError).</summary>
    internal long IcmpError(int error)
    {
        if (_conn == null || _listening) return 0;
        _conn.IcmpError(error);
        Sync();
        return 0;
    }

    private static ulong PeerKey(uint address, int port) => (ulong)address << 16 | (uint)port;

    private bool ForwardToChild(in TcpHeader h, byte[] packet, int offset, int length, uint source, uint destination)
    {
        if (Kevlar.Runtime.Diagnostics.SeededBugs.DuplicateSynSecondChild && _listening) return false;
        if (!_byPeer.TryGetValue(PeerKey(source, h.SourcePort), out TcpSocket? known)) return false;
        TcpHeader header = h;
        known.Defer(() => known.Segment(header, packet, offset, length, source, destination));
        return true;
    }

    private void ListenerSegment(in TcpHeader h, byte[] packet, int offset, int length, uint source, uint destination)
    {
        if (h.Has(TcpHeader.Rst)) return;
        if (!h.Has(TcpHeader.Syn) || h.Has(TcpHeader.Ack))
        {
            // No connection takes it (its child is gone or never was): RFC 9293's reset.
            byte[]? reset = TcpConnection.ResetFor(h, 0, source, destination);
            if (reset != null) Transmit(reset);
            return;
        }
        if (_children >= _backlog + 1)
        {
            Stack.Drop(PacketDrop.ListenQueueFull);
            return;
        }
        var child = new TcpSocket(Stack, _timers, _clock);
        Scheduler!.Register(child, Home);
        child.Options.CopyFrom(Options);
        child._noDelay = _noDelay;
        child._keepIdle = _keepIdle;
        child._keepInterval = _keepInterval;
        child._keepCount = _keepCount;
        child._listener = this;
        child._origin = this;
        _byPeer[PeerKey(source, h.SourcePort)] = child;
        child._local = new InetAddress(destination, _local.Port);
        child._remote = new InetAddress(source, h.SourcePort);
        PortBinding<InetSocket> b = child.Binding;
        b.Address = destination;
        b.Port = _local.Port;
        b.RemoteAddress = source;
        b.RemotePort = h.SourcePort;
        b.ReuseAddress = Binding.ReuseAddress;
        b.Uid = Binding.Uid;
        _children++;
        InetStack stack = Stack;
        stack.Defer(() => stack.Attach(b));
        child._conn = child.NewConnection(child._local, child._remote);
        child._conn.OpenPassive(h, child.Iss(child._local, child._remote), Now);
        child.Sync();
    }

    private long ChildEstablished(TcpSocket child)
    {
        if (!_listening)
        {
            child.Defer(() => child.AbortUnaccepted());
            return 0;
        }
        _accepts.Enqueue(child);
        InputChanged(PollEvents.POLLIN | PollEvents.POLLRDNORM);
        return 0;
    }

    private long ChildGone(TcpSocket child, bool accepted)
    {
        ForgetPeer(child);
        if (accepted) return 0;
        _children--;
        if (_accepts.Contains(child))
        {
            var keep = new Queue<TcpSocket>();
            while (_accepts.Count > 0)
            {
                TcpSocket c = _accepts.Dequeue();
                if (c != child) keep.Enqueue(c);
            }
            while (keep.Count > 0) _accepts.Enqueue(keep.Dequeue());
        }
        return 0;
    }

    /// <summary>Drops <paramref name="child"/> from the by-peer map (if it is still the one there).</summary>
    private void ForgetPeer(TcpSocket child)
    {
        InetAddress? peer = child._remote;
        if (peer == null) return;
        ulong key = PeerKey(peer.Address, peer.Port);
        if (_byPeer.TryGetValue(key, out TcpSocket? there) && there == child) _byPeer.Remove(key);
    }

    /// <summary>A child whose listener closed before accepting it: reset and gone.</summary>
    private long AbortUnaccepted()
    {
        _listener = null;
        _closed = true;
        _conn?.Abort();
        Sync();
        Release();
        return 0;
    }

    // ---- listen and accept ---------------------------------------------------------------

    /// <summary>listen, on this socket (after the stack marked the binding): the backlog set.</summary>
    internal long Listen(int backlog)
    {
        if (_conn != null || _connecting) return -Errno.EINVAL;
        if ((uint)backlog > SocketConstants.SoMaxConn) backlog = SocketConstants.SoMaxConn;
        _backlog = backlog;
        _listening = true;
        return 0;
    }

    /// <summary>Whether listen may proceed: -EINVAL when connected or connecting, else 0.</summary>
    internal long CheckListen() => _conn != null || _connecting ? -Errno.EINVAL : 0;

    /// <summary>accept: the oldest established child, -EINVAL when not listening, -EAGAIN without
    /// <paramref name="waiter"/>, else WouldBlock with it registered.</summary>
    internal long Accept(FileWaiter? waiter, out TcpSocket? child)
    {
        child = null;
        if (!_listening) return -Errno.EINVAL;
        if (_accepts.Count == 0)
        {
            if (waiter == null) return -Errno.EAGAIN;
            Readers.Add(waiter);
            return FileRequest.WouldBlock;
        }
        child = _accepts.Dequeue();
        _children--;
        TcpSocket taken = child;
        taken.Defer(() => taken.TakenByAccept());
        return 0;
    }

    private long TakenByAccept()
    {
        _listener = null;
        _socketConnected = true;
        return 0;
    }

    /// <summary>getpeername's answer: none while connecting or once closed (inet_getname).</summary>
    internal override InetAddress? PeerName
        => _conn == null || _conn.State == TcpState.Closed || _conn.State == TcpState.SynSent ? null : _remote;

    // ---- connect -------------------------------------------------------------------------

    /// <summary>connect, first step: -EISCONN when connected or listening, -EALREADY while connecting; else 0.</summary>
    internal long BeginConnect()
    {
        if (_listening || _socketConnected) return -Errno.EISCONN;
        if (_connecting) return -Errno.EALREADY;
        if (_connectPending && _conn != null)
        {
            // __inet_stream_connect in SS_CONNECTING: still going, done (0), or failed (its error, taken).
            if (_conn.State == TcpState.SynSent || _conn.State == TcpState.SynReceived) return -Errno.EALREADY;
            _connectPending = false;
            if (_conn.State != TcpState.Closed)
            {
                _socketConnected = true;
                return ConnectCollected;
            }
            int e = _conn.TakeError();
            return -(e != 0 ? e : Errno.ECONNABORTED);
        }
        if (_conn != null && _conn.State != TcpState.Closed) return -Errno.EISCONN;
        _connecting = true;
        return 0;
    }

    /// <summary>connect, after the stack recorded the peer: the SYN sent. <paramref name="failed"/> (a
    /// step before failed) ends the attempt instead.</summary>
    internal long StartConnect(InetAddress? remote, uint localAddress, long failed)
    {
        _connecting = false;
        if (failed != 0 || remote == null) return failed;
        if (_local.Address == InetAddress.Any) _local = new InetAddress(localAddress, _local.Port);
        _remote = remote;
        _conn = NewConnection(_local, remote);
        _connectPending = true;
        _conn.OpenActive(Iss(_local, remote), Now);
        Sync();
        return 0;
    }

    /// <summary>A connect's wait: 0 once established, the error once it failed (taken), -EAGAIN
    /// without <paramref name="waiter"/>, else WouldBlock.</summary>
    internal long ConnectResult(FileWaiter? waiter)
    {
        if (_conn == null) return -Errno.ENOTCONN;
        if (_conn.Synchronized)
        {
            _connectPending = false;
            _socketConnected = true;
            return 0;
        }
        if (_conn.State == TcpState.Closed)
        {
            _connectPending = false;
            int e = _conn.TakeError();
            return e != 0 ? -e : -Errno.ECONNREFUSED;
        }
        if (waiter == null) return -Errno.EAGAIN;
        Writers.Add(waiter);
        return FileRequest.WouldBlock;
    }

    // ---- data ----------------------------------------------------------------------------

    /// <summary>write: the bytes of <paramref name="data"/> the send buffer took, -EPIPE after SHUT_WR or
    /// when unconnected or closed, the connection's error (taken), -EAGAIN without
    /// <paramref name="waiter"/> when full, else WouldBlock.</summary>
    internal long Write(byte[] data, int offset, int length, FileWaiter? waiter)
    {
        if (_conn == null) return -Errno.EPIPE;
        if (_conn.Error != 0) return -_conn.TakeError();
        if ((_shutdown & SocketConstants.SEND_SHUTDOWN) != 0 || _conn.State == TcpState.Closed) return -Errno.EPIPE;
        if (_conn.Synchronized && _conn.State != TcpState.Established && _conn.State != TcpState.CloseWait) return -Errno.EPIPE;
        if (_conn.Synchronized && _conn.Writable > 0)
        {
            int n = _conn.Write(new ReadOnlySpan<byte>(data, offset, length), Now);
            Sync();
            return n;
        }
        if (waiter == null) return -Errno.EAGAIN;
        Writers.Add(waiter);
        return FileRequest.WouldBlock;
    }

    /// <summary>read: bytes into <paramref name="into"/> (kept with <paramref name="peek"/>); 0 at the
    /// end of the stream; -ENOTCONN unconnected or listening; the connection's error (taken); -EAGAIN
    /// without <paramref name="waiter"/> when empty, else WouldBlock.</summary>
    internal long Read(byte[] into, bool peek, FileWaiter? waiter)
    {
        if (_listening || _conn == null) return -Errno.ENOTCONN;
        if (_conn.Readable > 0)
        {
            int n = _conn.Read(into, peek, Now);
            Sync();
            return n;
        }
        if (_conn.Error != 0) return -_conn.TakeError();
        if (_conn.PeerFinished || (_shutdown & SocketConstants.RCV_SHUTDOWN) != 0 || _conn.State == TcpState.Closed) return 0;
        if (waiter == null) return -Errno.EAGAIN;
        Readers.Add(waiter);
        return FileRequest.WouldBlock;
    }

    /// <summary>FIONREAD: the bytes readable; -EINVAL on a listener (tcp_ioctl).</summary>
    internal override long InboundBytes() => _listening ? -Errno.EINVAL : _conn?.Readable ?? 0;

    /// <summary>tcp_poll (see the comment in TcpSocketFile).</summary>
    internal override int Poll(int events, FileWaiter? waiter)
    {
        int mask = 0;
        if (_listening)
        {
            if (_accepts.Count > 0) mask |= PollEvents.POLLIN | PollEvents.POLLRDNORM;
        }
        else
        {
            TcpState state = _conn?.State ?? TcpState.Closed;
            int shutdown = _shutdown;
            if (_conn != null && _conn.PeerFinished) shutdown |= SocketConstants.RCV_SHUTDOWN;
            if (_conn != null && state == TcpState.Closed) shutdown = SocketConstants.SHUTDOWN_MASK; // tcp_done
            if (shutdown == SocketConstants.SHUTDOWN_MASK || state == TcpState.Closed) mask |= PollEvents.POLLHUP;
            if ((shutdown & SocketConstants.RCV_SHUTDOWN) != 0) mask |= PollEvents.POLLIN | PollEvents.POLLRDNORM | PollEvents.POLLRDHUP;
            if (state != TcpState.SynSent && state != TcpState.SynReceived)
            {
                if (_conn != null && _conn.Readable > 0) mask |= PollEvents.POLLIN | PollEvents.POLLRDNORM;
                if ((shutdown & SocketConstants.SEND_SHUTDOWN) != 0 || _conn == null || _conn.Writable * 2 >= _conn.Unacknowledged)
                    mask |= PollEvents.POLLOUT | PollEvents.POLLWRNORM;
            }
            if (_conn != null && _conn.Error != 0) mask |= PollEvents.POLLERR;
        }
        if ((mask & (events | PollEvents.Always)) == 0 && waiter != null)
        {
            Readers.Add(waiter);
            Writers.Add(waiter);
        }
        return mask;
    }

    internal override int TakeError() => _conn?.TakeError() ?? 0;

    /// <summary>shutdown(2) with sk_shutdown bits: -ENOTCONN unless connected (or connecting).</summary>
    internal long Shutdown(int mode)
    {
        if (_listening)
        {
            // Linux's tcp_shutdown on a listener: SHUT_RD stops it (a later accept finds nothing).
            if ((mode & SocketConstants.RCV_SHUTDOWN) != 0) StopListening();
            return 0;
        }
        if (_conn == null || _conn.State == TcpState.Closed) return -Errno.ENOTCONN;
        _shutdown |= mode;
        if ((mode & SocketConstants.SEND_SHUTDOWN) != 0) _conn.Finish(Now);
        InputChanged(PollEvents.POLLIN | PollEvents.POLLRDHUP | PollEvents.POLLHUP);
        OutputChanged();
        Sync();
        return 0;
    }

    private void StopListening()
    {
        _listening = false;
        while (_accepts.Count > 0)
        {
            TcpSocket child = _accepts.Dequeue();
            child.Defer(() => child.AbortUnaccepted());
        }
        if (!Kevlar.Runtime.Diagnostics.SeededBugs.CloseSkipsAcceptWake) InputChanged(PollEvents.POLLIN | PollEvents.POLLHUP);
    }

    /// <summary>The last fd closed: a listener resets its unaccepted children; a connection with
    /// unread data (or SO_LINGER 0) is reset, else finished with a FIN; the port goes back when the
    /// connection is done.</summary>
    internal override void Close()
    {
        if (_closed) return;
        _closed = true;
        if (_listening) StopListening();
        if (_conn != null && _conn.State != TcpState.Closed)
        {
            bool lingerZero = Options.LingerOn && Options.LingerSeconds == 0;
            if (_conn.Readable > 0 || lingerZero || _conn.State == TcpState.SynSent) _conn.Abort();
            else
            {
                _conn.Orphan(Now);
                _conn.Finish(Now);
            }
            Sync();
        }
        Release();
    }

    // ---- options -------------------------------------------------------------------------

    internal override long GetOption(int level, int name, Span<byte> value)
    {
        if (level != InetOptions.IPPROTO_TCP) return base.GetOption(level, name, value);
        int v;
        switch (name)
        {
            case TCP_NODELAY: v = _noDelay ? 1 : 0; break;
            case TCP_MAXSEG: v = _conn != null && _conn.Synchronized ? _conn.Mss : 536; break;
            case TCP_KEEPIDLE: v = _keepIdle; break;
            case TCP_KEEPINTVL: v = _keepInterval; break;
            case TCP_KEEPCNT: v = _keepCount; break;
            default: return -Errno.ENOPROTOOPT;
        }
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(value, v);
        return 4;
    }

    /// <summary>SO_KEEPALIVE or a TCP_KEEP* option changed: the connection takes the new settings.</summary>
    private void KeepaliveChanged()
    {
        if (_conn == null) return;
        _conn.KeepAlive = Options.Flag(SocketConstants.SO_KEEPALIVE);
        _conn.KeepIdle = (ulong)_keepIdle * 1_000_000_000;
        _conn.KeepInterval = (ulong)_keepInterval * 1_000_000_000;
        _conn.KeepCount = _keepCount;
        Sync();
    }

    internal override long SetOption(int level, int name, ReadOnlySpan<byte> value)
    {
        if (level == SocketConstants.SOL_SOCKET && name == SocketConstants.SO_KEEPALIVE)
        {
            long r = base.SetOption(level, name, value);
            if (r == 0) KeepaliveChanged();
            return r;
        }
        if (level != InetOptions.IPPROTO_TCP) return base.SetOption(level, name, value);
        if (value.Length < 4) return -Errno.EINVAL;
        int v = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(value);
        switch (name)
        {
            case TCP_NODELAY:
                _noDelay = v != 0;
                if (_conn != null)
                {
                    _conn.NoDelay = _noDelay;
                    _conn.Output(Now);
                    Sync();
                }
                return 0;
            case TCP_MAXSEG:
                return v < 88 || v > 32767 ? -Errno.EINVAL : 0;
            case TCP_KEEPIDLE: case TCP_KEEPINTVL:
                if (v < 1 || v > 32767) return -Errno.EINVAL;
                if (name == TCP_KEEPIDLE) _keepIdle = v;
                else _keepInterval = v;
                KeepaliveChanged();
                return 0;
            case TCP_KEEPCNT:
                if (v < 1 || v > 127) return -Errno.EINVAL;
                _keepCount = v;
                KeepaliveChanged();
                return 0;
            default:
                return -Errno.ENOPROTOOPT;
        }
    }
}

/// <summary>The timer service's message to a TcpSocket at its connection's deadline; Generation
/// names the arming (older ones are dropped). No reply.</summary>
public sealed class TcpTick : Message
{
    public readonly int Generation;

    public TcpTick(int generation) { Generation = generation; }
}
