// UnixSocket: the actor that owns one AF_UNIX socket (unix(7)) — its name,
// its connection, its receive queue, its listen backlog, its options — homed
// on the CPU that made it. Every operation runs here as a closure
// (FileOwner.Run: inline on this CPU, a round trip elsewhere); operations
// that span two sockets are two requests from the calling thread, never one
// actor waiting on another.
//
// Data flows to the receiver: a send is a request to the receiving socket
// (the peer, or a datagram's target), which queues the record and wakes its
// readers; a sender waiting for room registers with the receiver's
// Writers, which a read wakes. So every queue has one owner, and the wakeup
// for room and the room itself change in the same handler.
//
// State (owned here):
//   _state, _peer              unconnected / listening / connected; the peer
//                              (stream and seqpacket: set once by connect,
//                              socketpair or accept; datagram: connect's target)
//   _address, _binding         the bound name; a bind in progress
//   _shutdown, _error          sk_shutdown bits (RCV_SHUTDOWN, SEND_SHUTDOWN); sk_err
//   _closed                    the last fd closed: sends here fail, names are gone
//   Queue                      received records (ReceiveQueue, actors/net)
//   _pending, _backlog         a listener's connections not yet accepted (each
//                              the server-side socket, connected to its client)
//   options                    SO_PASSCRED, buffers, timeouts, peer credentials
//   Readers, Writers         threads waiting for data, EOF or a connection to
//                              accept / for room in Queue or the backlog
// Published for /proc/net/unix (written here with Volatile, read by the
// VfsActor as hints): the state, the name, whether it closed.
// Invariants:
//   1. A stream or seqpacket socket's _peer never changes once set.
//   2. Every change that may make POLLIN true (a record, a connection, a
//      shutdown, the peer's close, an error) wakes Readers; every change that
//      frees room (a read, an accept, the close) wakes Writers.
//   3. Records' in-flight files are held (OpenFile.Acquire) until a read hands
//      them to a receiver or the close drops them (Drop releases each).
// Waits on: nothing (replies at once; waiting is the caller's FileWaiter).
using System.Collections.Generic;
using System.Threading;
using Kevlar.Net;

namespace Kevlar.Process.Files.Sockets;

public sealed partial class UnixSocket : SocketActor
{
    public override string DiagnosticName => "unix socket";

    public enum SocketState { Unconnected, Listening, Connected }

    public readonly int Type;
    private SocketState _state;
    private UnixSocket? _peer;
    private UnixAddress? _address;
    private bool _binding, _connecting;
    /// <summary>This socket holds its name in UnixNames (it bound; an accepted socket only shares
    /// its listener's name).</summary>
    private bool _ownsName;
    private int _shutdown, _error;
    private bool _closed;
    public readonly ReceiveQueue<OpenFile[]> Queue = new ReceiveQueue<OpenFile[]>();
    private readonly Queue<UnixSocket> _pending = new Queue<UnixSocket>();
    private int _backlog;
    /// <summary>An accepted socket not yet accepted: its close resets the client (ECONNRESET).</summary>
    private bool _embryo;

    // Options (SOL_SOCKET).
    private bool _passCred;
    public readonly SocketOptions Options = new SocketOptions();
    private UnixCredentials _peerCredentials = UnixCredentials.None;


    /// <summary>The VfsActor whose UnixNames holds this socket's name.</summary>
    public readonly Vfs.VfsActor Names;

    public UnixSocket(int type, Vfs.VfsActor names)
    {
        Type = type;
        Names = names;
        names.Post(() =>
        {
            names.UnixNames.Track(this);
            return 0;
        });
    }

    // What /proc/net/unix shows, published for the VfsActor to read without a message.
    private int _publishedState;
    private UnixAddress? _publishedAddress;

    /// <summary>0 unconnected, 1 listening, 2 connected; read from any CPU as a hint.</summary>
    public int StateHint => Volatile.Read(ref _publishedState);

    /// <summary>The bound name (an accepted socket: its listener's); read from any CPU as a hint.</summary>
    public UnixAddress? AddressHint => Volatile.Read(ref _publishedAddress);

    /// <summary>The last fd closed; read from any CPU as a hint.</summary>
    public bool ClosedHint => Volatile.Read(ref _closedHint) != 0;
    private int _closedHint;

    private void SetState(SocketState state)
    {
        _state = state;
        Volatile.Write(ref _publishedState, (int)state);
    }

    private void SetAddress(UnixAddress? address)
    {
        _address = address;
        Volatile.Write(ref _publishedAddress, address);
    }

    public bool ConnectionOriented => Type != SocketConstants.SOCK_DGRAM;

    /// <summary>Connects two new sockets (socketpair): both connected, each with the caller's credentials.</summary>
    public static void Pair(UnixSocket a, UnixSocket b, UnixCredentials creator)
    {
        a.SetPeer(b);
        b.SetPeer(a);
        a.SetState(SocketState.Connected);
        b.SetState(SocketState.Connected);
        a._peerCredentials = b._peerCredentials = creator;
    }

    /// <summary>The sndbuf a sender's limit and the receiver's writability use; read from any CPU as a hint.</summary>
    public int SendBuffer => Options.SendBuffer;

    /// <summary>SO_RCVTIMEO / SO_SNDTIMEO in ns (0: none); read from any CPU as a hint.</summary>
    public ulong ReceiveTimeout => Options.ReceiveTimeout;
    public ulong SendTimeout => Options.SendTimeout;

    // ---- names --------------------------------------------------------------------------

    /// <summary>bind, first step: -EINVAL when already bound (or binding), else 0 with the bind reserved.</summary>
    internal long BeginBind()
    {
        if (_address != null || _binding) return -Errno.EINVAL;
        _binding = true;
        return 0;
    }

    /// <summary>bind, last step: the name the VfsActor recorded (null when it failed).</summary>
    internal long EndBind(UnixAddress? address)
    {
        _binding = false;
        if (address == null) return 0;
        SetAddress(address);
        _ownsName = true;
        return 0;
    }

    /// <summary>The bound name (null: unnamed); with <paramref name="peer"/>, the peer's socket.</summary>
    internal UnixAddress? Address => _address;

    internal UnixSocket? Peer => _peer;

    /// <summary>The peer, read from any CPU as a hint (epoll's edge counts).</summary>
    public UnixSocket? PeerHint => Volatile.Read(ref _peer);

    private void SetPeer(UnixSocket? peer) => Volatile.Write(ref _peer, peer);

    internal bool IsBound => _address != null;

    // ---- listen, connect, accept --------------------------------------------------------

    /// <summary>listen(2): 0, -EOPNOTSUPP for a datagram socket, -EINVAL when unbound or connected.</summary>
    internal long Listen(int backlog, UnixCredentials creator)
    {
        if (!ConnectionOriented) return -Errno.EOPNOTSUPP;
        if (_address == null || _state == SocketState.Connected || _connecting) return -Errno.EINVAL;
        if ((uint)backlog > SocketConstants.SoMaxConn) backlog = SocketConstants.SoMaxConn;
        bool grew = backlog > _backlog;
        _backlog = backlog;
        if (_state != SocketState.Listening)
        {
            SetState(SocketState.Listening);
            _peerCredentials = creator;
        }
        if (grew) OutputChanged();
        return 0;
    }

    /// <summary>connect, first step on the client: -EISCONN when connected, -EINVAL when listening,
    /// -EALREADY while another connect runs; else the connect is reserved: 1 when the socket must
    /// autobind first (SO_PASSCRED and no name), else 0.</summary>
    internal long BeginConnect()
    {
        if (_state == SocketState.Connected) return -Errno.EISCONN;
        if (_state == SocketState.Listening) return -Errno.EINVAL;
        if (_connecting) return -Errno.EALREADY;
        _connecting = true;
        return NeedsAutobind ? 1 : 0;
    }

    /// <summary>SO_PASSCRED on an unbound socket: connect and send autobind it first (unix_may_passcred).</summary>
    internal bool NeedsAutobind => _passCred && _address == null && !_binding;

    /// <summary>connect, on the listener: queues <paramref name="server"/> (the accepting side, already
    /// connected to the client): 0 with the listener's credentials, -ECONNREFUSED when not listening
    /// (or shut down for reading),
    /// -EAGAIN when the backlog is full and <paramref name="waiter"/> is null, else WouldBlock.</summary>
    internal long Offer(UnixSocket server, FileWaiter? waiter, out UnixCredentials listener)
    {
        listener = _peerCredentials;
        if (_closed || _state != SocketState.Listening || (_shutdown & SocketConstants.RCV_SHUTDOWN) != 0) return -Errno.ECONNREFUSED;
        if (_pending.Count > _backlog)
        {
            if (waiter == null) return -Errno.EAGAIN;
            Writers.Add(waiter);
            return FileRequest.WouldBlock;
        }
        server.SetAddress(_address);
        server._embryo = true;
        _pending.Enqueue(server);
        InputChanged(PollEvents.POLLIN | PollEvents.POLLRDNORM);
        return 0;
    }

    /// <summary>The server side of a new connection (made on the client's CPU, not yet reachable by
    /// anyone else): connected to <paramref name="client"/>.</summary>
    internal void ConnectTo(UnixSocket client, UnixCredentials clientCredentials)
    {
        SetPeer(client);
        SetState(SocketState.Connected);
        _peerCredentials = clientCredentials;
    }

    /// <summary>connect, last step on the client: connected to <paramref name="server"/> when
    /// <paramref name="result"/> is 0; the reservation ends either way.</summary>
    internal long EndConnect(long result, UnixSocket? server, UnixCredentials listener)
    {
        _connecting = false;
        if (result != 0 || server == null) return result;
        SetPeer(server);
        SetState(SocketState.Connected);
        _peerCredentials = listener;
        OutputChanged();
        return 0;
    }

    /// <summary>connect for a datagram socket: the default target (null: disconnect, AF_UNSPEC).</summary>
    internal long SetDatagramPeer(UnixSocket? target)
    {
        SetPeer(target);
        SetState(target == null ? SocketState.Unconnected : SocketState.Connected);
        return 0;
    }

    /// <summary>accept: the oldest pending connection in <paramref name="accepted"/>; -EOPNOTSUPP for a
    /// datagram socket, -EINVAL when not listening (or none is pending after shutdown(SHUT_RD)),
    /// -EAGAIN when none and <paramref name="waiter"/> is null, else WouldBlock.</summary>
    internal long Accept(FileWaiter? waiter, out UnixSocket? accepted)
    {
        accepted = null;
        if (!ConnectionOriented) return -Errno.EOPNOTSUPP;
        if (_state != SocketState.Listening) return -Errno.EINVAL;
        if (_pending.Count == 0)
        {
            // unix_accept: a receive shutdown ends the wait for connections.
            if ((_shutdown & SocketConstants.RCV_SHUTDOWN) != 0) return -Errno.EINVAL;
            if (waiter == null) return -Errno.EAGAIN;
            Readers.Add(waiter);
            return FileRequest.WouldBlock;
        }
        accepted = _pending.Dequeue();
        accepted._embryo = false;
        OutputChanged();
        return 0;
    }

    // ---- shutdown and close -------------------------------------------------------------

    /// <summary>shutdown(2) on this side: the peer to tell (stream and seqpacket), else null.</summary>
    internal UnixSocket? Shutdown(int mode)
    {
        _shutdown |= mode;
        // Seeded bug: a listener's shutdown leaves a blocked accept asleep.
        if (!(Kevlar.Runtime.Diagnostics.SeededBugs.ListenerShutdownSkipsAccept && _state == SocketState.Listening))
            InputChanged(PollEvents.POLLIN | PollEvents.POLLHUP | PollEvents.POLLRDHUP);
        OutputChanged();
        return ConnectionOriented ? _peer : null;
    }

    /// <summary>The peer shut down: its RCV becomes our SEND, its SEND our RCV.</summary>
    internal long PeerShutdown(int peerMode)
    {
        int mode = 0;
        if ((peerMode & SocketConstants.RCV_SHUTDOWN) != 0) mode |= SocketConstants.SEND_SHUTDOWN;
        if ((peerMode & SocketConstants.SEND_SHUTDOWN) != 0) mode |= SocketConstants.RCV_SHUTDOWN;
        _shutdown |= mode;
        InputChanged(PollEvents.POLLIN | PollEvents.POLLHUP | PollEvents.POLLRDHUP);
        OutputChanged();
        return 0;
    }

    /// <summary>The connected peer closed (unix_release_sock): no more data either way; a reset when
    /// it closed with data unread or before it was accepted.</summary>
    internal void PeerClosed(bool reset)
    {
        _shutdown = SocketConstants.SHUTDOWN_MASK;
        if (reset) _error = Errno.ECONNRESET;
        InputChanged(PollEvents.POLLIN | PollEvents.POLLHUP | PollEvents.POLLRDHUP | PollEvents.POLLERR);
        OutputChanged();
    }

    /// <summary>The last fd closed: names go, queued files are released, pending connections
    /// reset their clients, the peer learns (stream and seqpacket).</summary>
    internal void Close()
    {
        if (_closed) return;
        _closed = true;
        Volatile.Write(ref _closedHint, 1);
        UnixAddress? name = _ownsName ? _address : null;
        Names.Post(() =>
        {
            Names.UnixNames.Untrack(this);
            if (name != null) Names.UnixNames.Forget(this, name);
            return 0;
        });
        bool unread = Queue.Count > 0;
        if (Kevlar.Runtime.Diagnostics.SeededBugs.InFlightRightsLeakedOnClose) Queue.Clear(static _ => { });
        else Queue.Clear(Drop);
        while (_pending.Count > 0)
        {
            UnixSocket embryo = _pending.Dequeue();
            embryo.Post(() => { embryo.Close(); return 0; });
        }
        UnixSocket? peer = _peer;
        if (peer != null && ConnectionOriented)
        {
            bool reset = unread || _embryo;
            peer.Post(() => { peer.PeerClosed(reset); return 0; });
        }
        InputChanged(PollEvents.POLLIN | PollEvents.POLLHUP);
        OutputChanged();
    }

    /// <summary>A server side whose connect failed before any listener took it: it only leaves the
    /// table of open sockets (its client is not told anything).</summary>
    internal void Abandon()
    {
        _closed = true;
        Volatile.Write(ref _closedHint, 1);
        Names.Post(() =>
        {
            Names.UnixNames.Untrack(this);
            return 0;
        });
    }

    /// <summary>Releases the files a dropped record held in flight.</summary>
    private void Drop(SocketRecord<OpenFile[]> record)
    {
        OpenFile[]? files = record.Rights;
        record.Rights = null;
        if (files == null) return;
        LetGo(files);
        for (int i = 0; i < files.Length; i++) files[i].Release();
    }

    // ---- files in flight (UnixGarbage) -------------------------------------------------------

    /// <summary>This socket's open file description (set when it is made), whose references
    /// UnixGarbage weighs against those in flight.</summary>
    public OpenFile? File { get; internal set; }

    private readonly List<OpenFile> _held = new List<OpenFile>();
    private OpenFile[] _heldSnapshot = new OpenFile[0];

    /// <summary>The files messages queued here carry (any CPU: published whole at each change).</summary>
    internal OpenFile[] HeldFiles => Volatile.Read(ref _heldSnapshot);

    private void Hold(OpenFile[] files)
    {
        UnixGarbage.Entered(files);
        for (int i = 0; i < files.Length; i++) _held.Add(files[i]);
        Volatile.Write(ref _heldSnapshot, _held.ToArray());
    }

    private void LetGo(OpenFile[] files)
    {
        for (int i = 0; i < files.Length; i++) _held.Remove(files[i]);
        Volatile.Write(ref _heldSnapshot, _held.ToArray());
        UnixGarbage.Left(files);
    }

    /// <summary>UnixGarbage found this socket unreachable: what its queue holds is dropped (and
    /// so released), which closes the sockets that only their own messages held.</summary>
    internal void DropQueue() => Queue.Clear(Drop);

    internal bool IsClosed => _closed;
}
