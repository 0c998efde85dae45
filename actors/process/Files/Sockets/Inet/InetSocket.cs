// InetSocket: what every AF_INET socket actor (UdpSocket, TcpSocket) owns
// alike — its name and peer, a bind in progress, the SOL_SOCKET and
// IPPROTO_IP options, its waiting readers and writers — and the steps of
// bind that run on it. The port itself is the stack's (PortBinding, written
// only by InetStack); the socket keeps its own copy of its name.
//
// State (owned here): _local (address 0.0.0.0 until bound to one or connected;
// port 0 until bound), _remote, _binding, _userAddress/_userPort (bind chose
// them), Options, _ttl, _tos, Readers, Writers.
// Waits on: nothing.
using System;
using System.Threading;
using Kevlar.Net;

namespace Kevlar.Process.Files.Sockets.Inet;

public abstract class InetSocket : ProtocolSocket
{
    public readonly InetStack Stack;
    public readonly PortBinding<InetSocket> Binding;
    protected InetAddress _local = InetAddress.Unbound;
    protected InetAddress? _remote;
    protected bool _userAddress, _userPort;
    private bool _binding;
    public readonly SocketOptions Options = new SocketOptions();
    private int _ttl = -1, _tos;

    protected InetSocket(InetStack stack)
    {
        Stack = stack;
        Binding = new PortBinding<InetSocket>(this);
    }

    /// <summary>SOCK_DGRAM or SOCK_STREAM.</summary>
    public abstract int Type { get; }

    /// <summary>IPPROTO_UDP or IPPROTO_TCP.</summary>
    public abstract int Protocol { get; }

    internal InetAddress Local => _local;
    internal InetAddress? Remote => _remote;

    // What /proc/net/tcp and /proc/net/udp show, read from any CPU as hints.
    public InetAddress LocalHint => Volatile.Read(ref _local);
    public InetAddress? RemoteHint => Volatile.Read(ref _remote);
    /// <summary>The "st" column: Linux's TCP state number (a UDP socket: 1 connected, 7 otherwise).</summary>
    public abstract int StateHint { get; }
    /// <summary>The tx_queue and rx_queue columns.</summary>
    public abstract int SendQueueHint { get; }
    public abstract int ReceiveQueueHint { get; }
    /// <summary>The uid that bound the port.</summary>
    public uint UidHint => Binding.Uid;

    /// <summary>getpeername's answer (null: -ENOTCONN).</summary>
    internal virtual InetAddress? PeerName => _remote;

    // ---- bind ----------------------------------------------------------------------------

    /// <summary>bind or autobind, first step: -EINVAL when bound (or binding) or past binding
    /// (a TCP socket connected or listening), else 0 with the bind reserved.</summary>
    internal long BeginBind()
    {
        if (_local.Port != 0 || _binding) return -Errno.EINVAL;
        _binding = true;
        return 0;
    }

    /// <summary>bind, last step: the name the stack gave (null when it failed).</summary>
    internal long EndBind(InetAddress? bound, bool byUser)
    {
        _binding = false;
        if (bound == null) return 0;
        _local = bound;
        _userAddress = byUser && bound.Address != InetAddress.Any;
        _userPort = byUser;
        return 0;
    }

    // ---- options -------------------------------------------------------------------------

    /// <summary>The TTL a sent packet carries.</summary>
    internal byte Ttl => (byte)(_ttl < 0 ? Ipv4Header.DefaultTtl : _ttl);

    /// <summary>The socket's pending error, taken (SO_ERROR).</summary>
    internal abstract int TakeError();

    /// <summary>SO_ACCEPTCONN.</summary>
    protected virtual bool Listening => false;

    /// <summary>getsockopt at SOL_SOCKET or IPPROTO_IP (a subclass answers its protocol's level
    /// first): the value's length, or -ENOPROTOOPT.</summary>
    internal override long GetOption(int level, int name, Span<byte> value)
    {
        int v;
        if (level == InetOptions.IPPROTO_IP)
        {
            switch (name)
            {
                case InetOptions.IP_TTL: v = Ttl; break;
                case InetOptions.IP_TOS: v = _tos; break;
                default: return -Errno.ENOPROTOOPT;
            }
        }
        else if (level == SocketConstants.SOL_SOCKET)
        {
            switch (name)
            {
                case SocketConstants.SO_TYPE: v = Type; break;
                case SocketConstants.SO_DOMAIN: v = SocketConstants.AF_INET; break;
                case SocketConstants.SO_PROTOCOL: v = Protocol; break;
                case SocketConstants.SO_ERROR: v = TakeError(); break;
                case SocketConstants.SO_ACCEPTCONN: v = Listening ? 1 : 0; break;
                default: return Options.Get(name, value);
            }
        }
        else return -Errno.ENOPROTOOPT;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(value, v);
        return 4;
    }

    /// <summary>setsockopt at SOL_SOCKET or IPPROTO_IP: 0 or -errno.</summary>
    internal override long SetOption(int level, int name, ReadOnlySpan<byte> value)
    {
        if (level == SocketConstants.SOL_SOCKET) return Options.Set(name, value);
        if (level != InetOptions.IPPROTO_IP) return -Errno.ENOPROTOOPT;
        // do_ip_setsockopt: an int, or a single byte for these two.
        int v;
        if (value.Length >= 4) v = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(value);
        else if (value.Length >= 1) v = value[0];
        else return -Errno.EINVAL;
        switch (name)
        {
            case InetOptions.IP_TTL:
                if (v != -1 && (v < 1 || v > 255)) return -Errno.EINVAL;
                _ttl = v;
                return 0;
            case InetOptions.IP_TOS:
                _tos = v & 0xFF;
                return 0;
            default:
                return -Errno.ENOPROTOOPT;
        }
    }
}
