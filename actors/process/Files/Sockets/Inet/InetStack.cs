// InetStack: the actor that owns the IPv4 stack's shared state — the UDP
// and TCP port tables, the loopback interface (lo, 127.0.0.0/8), and the
// counters of packets in and out and of drops by reason — homed on CPU 0.
// Binds, connects and closes change the tables here; the packet path does
// not come here at all.
//
// A socket builds its whole packet (IPv4 header, transport header, data) —
// a UDP socket's file on the sending thread, a TCP socket's actor in its
// handler — and sends it on the spot (Transmit, Output): the loopback
// interface gives it straight back to Input, the same path a device's
// received frame will take, run on the sender's CPU: the header is checked,
// the transport demultiplexed through the port tables' published views
// (PortTable: lock-free reads), and the payload handed to the owning
// socket's actor. So a packet crosses CPUs only to reach its receiver. A datagram for a port nobody holds is answered with ICMP
// port unreachable, which comes back through Input and reaches the sender's
// socket as an error (ECONNREFUSED on a connected socket), as on Linux.
//
// Deliveries: a packet a device received is posted to its socket. A packet a
// thread sent through lo is not: Transmit returns its deliveries and the
// sending thread makes each a request to the receiving socket before its
// send returns — so, as on Linux's loopback, a datagram sent is queued at
// its receiver (or its ICMP error at the sender) when sendto returns, and a
// non-blocking receive right after finds it.
//
// State (owned here): _udp, _tcp (PortBinding fields are written only here,
// each change republished for the lock-free lookups and /proc/net). The counters are written with Interlocked from any CPU, read by
// /proc as hints. Input and the ICMP it sends touch nothing else shared.
// Waits on: nothing; posts to socket actors, never waits for them.
using System;
using System.Collections.Generic;
using System.Threading;
using Kevlar.Net;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files.Sockets.Inet;

public sealed class InetStack : FileOwner
{
    public override string DiagnosticName => "inet stack";

    private readonly PortTable<InetSocket> _udp = new PortTable<InetSocket>(0x5eed);
    private readonly PortTable<InetSocket> _tcp = new PortTable<InetSocket>(0x7c9);
    private readonly long[] _drops = new long[(int)PacketDrop.TransmitFailed + 1];
    private long _packetsIn, _packetsOut;

    /// <summary>A received packet's effect on a socket: an operation to run on its actor.</summary>
    public sealed class Delivery
    {
        public readonly FileOwner Socket;
        public readonly Func<long> Operation;

        public Delivery(FileOwner socket, Func<long> operation)
        {
            Socket = socket;
            Operation = operation;
        }
    }
    private static int s_nextId;

    /// <summary>Packets dropped for <paramref name="reason"/>; read from any CPU as a hint.</summary>
    public long Drops(PacketDrop reason) => Volatile.Read(ref _drops[(int)reason]);
    public long PacketsIn => Volatile.Read(ref _packetsIn);
    public long PacketsOut => Volatile.Read(ref _packetsOut);

    /// <summary>A fresh IPv4 identification (any CPU).</summary>
    public static ushort NextId() => (ushort)Interlocked.Increment(ref s_nextId);

    /// <summary>The source address for packets to <paramref name="destination"/> (the route's
    /// preferred source): 0 with it, or -ENETUNREACH. 127.0.0.0/8 and 0.0.0.0 (which
    /// ip_route_output_key_hash sends to the loopback address) go through lo from 127.0.0.1; this
    /// host's own addresses through lo from themselves; the rest through the Ethernet interface
    /// when it is up with an address — on its subnet, as broadcast, or to its gateway.</summary>
    public int Route(uint destination, out uint source)
    {
        source = InetAddress.Loopback;
        if (destination == InetAddress.Any || InetAddress.IsLoopback(destination)) return Loopback.Up ? 0 : -Errno.ENETUNREACH;
        NetInterface? eth = _ethernet?.Interface;
        if (eth == null || !eth.Up || eth.Address == 0) return -Errno.ENETUNREACH;
        source = eth.Address;
        if (destination == eth.Address) return Loopback.Up ? 0 : -Errno.ENETUNREACH;
        if (destination == InetAddress.Broadcast || eth.OnLink(destination) || Gateway != 0) return 0;
        source = InetAddress.Loopback;
        return -Errno.ENETUNREACH;
    }

    /// <summary>The next hop toward <paramref name="destination"/> on the Ethernet interface: itself
    /// on the subnet, else the gateway.</summary>
    public uint NextHop(uint destination)
    {
        NetInterface? eth = _ethernet?.Interface;
        return eth != null && eth.OnLink(destination) || Gateway == 0 ? destination : Gateway;
    }

    /// <summary>The default route's gateway (0: none); written by the stack's actor.</summary>
    public uint Gateway { get => Volatile.Read(ref _gateway); private set => Volatile.Write(ref _gateway, value); }
    private uint _gateway;

    /// <summary>A broadcast address with a route: lo's 127.255.255.255, and with the Ethernet
    /// interface configured 255.255.255.255 and its subnet's broadcast address.</summary>
    public bool IsBroadcast(uint address)
    {
        if (address == 0x7FFFFFFF) return true;
        NetInterface? eth = _ethernet?.Interface;
        return eth != null && eth.Address != 0 && (address == InetAddress.Broadcast || address == eth.BroadcastAddress);
    }

    /// <summary>The address a packet to <paramref name="destination"/> is sent to (0.0.0.0 is 127.0.0.1).</summary>
    public static uint Destination(uint destination) => destination == InetAddress.Any ? InetAddress.Loopback : destination;

    /// <summary>Whether <paramref name="address"/> is one of this host's (inet_addr_type: RTN_LOCAL).</summary>
    public bool IsLocal(uint address)
    {
        if (InetAddress.IsLoopback(address)) return true;
        NetInterface? eth = _ethernet?.Interface;
        return eth != null && address != 0 && address == eth.Address;
    }

    /// <summary>Whether a packet's builder must fill in its transport checksum: only for a test's
    /// link in lo's place. Through lo nobody verifies them (Linux's CHECKSUM_PARTIAL on
    /// loopback); a device's link fills them itself or has the device do it (EthernetLink).</summary>
    public bool NeedsChecksumsTo(uint destination) => Link is not LoopbackLink && IsLocal(Destination(destination));

    /// <summary>The MSS for a connection to <paramref name="destination"/>: its interface's MTU (at
    /// most an IPv4 packet's 65535 bytes: lo's MSS is 65495) less the IPv4 and TCP headers.</summary>
    public int MssTo(uint destination)
    {
        NetInterface? eth = _ethernet?.Interface;
        int mtu = eth != null && !IsLocal(Destination(destination)) ? eth.Mtu : Loopback.Mtu;
        return Math.Min(mtu, 65535) - Ipv4Header.MinLength - TcpHeader.MinLength;
    }

    // ---- bindings ------------------------------------------------------------------------

    private PortTable<InetSocket> Table(int protocol) => protocol == Ipv4Header.ProtocolTcp ? _tcp : _udp;

    /// <summary>The sockets holding a port of <paramref name="protocol"/>, from the tables' published
    /// views (any CPU; a moment's picture, for /proc/net).</summary>
    public InetSocket[] Sockets(int protocol)
    {
        var list = new List<InetSocket>();
        Table(protocol).ForEachPublished(list.Add);
        return list.ToArray();
    }

    /// <summary>bind (__inet_bind; udp_v4_get_port, inet_csk_get_port): 0 with the binding in the
    /// protocol's table, -EADDRNOTAVAIL for an address not this host's, -EACCES for a privileged
    /// port, -EADDRINUSE; an autobind with every ephemeral port taken is -EAGAIN.</summary>
    internal long Bind(int protocol, PortBinding<InetSocket> b, uint address, int port, bool privileged, bool reuseAddress, bool reusePort, uint uid, bool autobind)
    {
        if (address != InetAddress.Any && !IsLocal(address) && !InetAddress.IsMulticast(address) && !IsBroadcast(address) && address != InetAddress.Broadcast)
            return -Errno.EADDRNOTAVAIL;
        if (port != 0 && port < PortTable<InetSocket>.UnprivilegedPortStart && !privileged) return -Errno.EACCES;
        b.Address = address;
        b.ReuseAddress = reuseAddress;
        b.ReusePort = reusePort;
        b.Uid = uid;
        int r = Table(protocol).Bind(b, port);
        return r != 0 && autobind ? -Errno.EAGAIN : r;
    }

    internal long ConnectUdp(PortBinding<InetSocket> b, uint local, uint remote, int remotePort)
    {
        if (b.Address == InetAddress.Any) b.Address = local;
        b.RemoteAddress = remote;
        b.RemotePort = (ushort)remotePort;
        _udp.Republish(b);
        return 0;
    }

    /// <summary>udp_disconnect: the remote end forgotten; the address too unless bind chose it; the
    /// port released unless bind chose it.</summary>
    internal long DisconnectUdp(PortBinding<InetSocket> b, bool keepAddress, bool keepPort)
    {
        b.RemoteAddress = 0;
        b.RemotePort = 0;
        if (!keepAddress) b.Address = InetAddress.Any;
        if (!keepPort)
        {
            _udp.Unbind(b);
        }
        else _udp.Republish(b);
        return 0;
    }

    /// <summary>listen: the binding marked listening, unless another listener overlaps it (-EADDRINUSE).</summary>
    internal long Listen(PortBinding<InetSocket> b)
    {
        if (!_tcp.MayListen(b)) return -Errno.EADDRINUSE;
        b.Listening = true;
        return 0;
    }

    /// <summary>An accepted connection's binding, on its listener's port (run here before its SYN-ACK).</summary>
    internal long Attach(PortBinding<InetSocket> b)
    {
        _tcp.Attach(b);
        return 0;
    }

    /// <summary>connect for a TCP socket: the remote end and the route's source as the local address;
    /// -EADDRNOTAVAIL when that four-tuple is already in use.</summary>
    internal long ConnectTcp(PortBinding<InetSocket> b, uint local, uint remote, int remotePort)
    {
        uint address = b.Address == InetAddress.Any ? local : b.Address;
        var taken = _tcp.Lookup(address, b.Port, remote, remotePort);
        if (taken != null && taken != b.Owner && taken.Binding.Connected) return -Errno.EADDRNOTAVAIL;
        b.Address = address;
        b.RemoteAddress = remote;
        b.RemotePort = (ushort)remotePort;
        _tcp.Republish(b);
        return 0;
    }

    internal void Unbind(int protocol, PortBinding<InetSocket> b)
    {
        Table(protocol).Unbind(b);
    }


    // ---- packets -------------------------------------------------------------------------

    /// <summary>A thread's packet (a whole IPv4 packet), sent on the spot through lo into Input: 0,
    /// with the deliveries (null: none) the sending thread must make.</summary>
    internal long Transmit(byte[] packet, out List<Delivery>? deliveries)
    {
        var made = new List<Delivery>(2);
        Send(packet, made);
        deliveries = made.Count == 0 ? null : made;
        return 0;
    }

    // The raw ICMP sockets: an array replaced whole (compare-and-swap) from any CPU, so a socket
    // made by socket(2) hears the very next ICMP packet, and Input reads it without a lock.
    private RawSocket[] _raw = new RawSocket[0];

    /// <summary>Adds (or with <paramref name="remove"/>, removes) a raw socket; any CPU.</summary>
    internal long ChangeRaw(RawSocket socket, bool remove)
    {
        while (true)
        {
            RawSocket[] now = Volatile.Read(ref _raw);
            var list = new List<RawSocket>(now.Length + 1);
            for (int i = 0; i < now.Length; i++)
                if (now[i] != socket) list.Add(now[i]);
            if (!remove) list.Add(socket);
            if (Interlocked.CompareExchange(ref _raw, list.ToArray(), now) == now) return 0;
        }
    }

    /// <summary>Datagrams a device's fragments are put back into (its actor's; read as hints).</summary>
    public readonly FragmentReassembly Reassembly = new FragmentReassembly();

    /// <summary>The TCP counters every connection adds to (/proc/net/snmp).</summary>
    public readonly TcpStatistics Tcp = new TcpStatistics();

    // /proc/net/snmp's Ip and Udp counters (Interlocked from any CPU, read as hints).
    public long IpInHdrErrors, IpInAddrErrors, IpInDelivers, IpReasmFails, IpFragOks, IpFragCreates, UdpInDatagrams, UdpNoPorts, UdpInErrors, UdpOutDatagrams, UdpRcvbufErrors;

    /// <summary>The loopback interface: its flags (SIOCSIFFLAGS can take it down) and counters.</summary>
    public readonly NetInterface Loopback = NetInterface.NewLoopback();

    /// <summary>The interfaces, by index order: lo, then the Ethernet device's when there is one.</summary>
    public NetInterface[] Interfaces => _ethernet == null ? new[] { Loopback } : new[] { Loopback, _ethernet.Interface };

    /// <summary>The interface named <paramref name="name"/>, or null.</summary>
    public NetInterface? Interface(string name)
    {
        if (name == Loopback.Name) return Loopback;
        return _ethernet != null && name == _ethernet.Interface.Name ? _ethernet.Interface : null;
    }

    /// <summary>The interface with <paramref name="index"/>, or null.</summary>
    public NetInterface? InterfaceByIndex(int index)
    {
        NetInterface[] all = Interfaces;
        for (int i = 0; i < all.Length; i++)
            if (all[i].Index == index) return all[i];
        return null;
    }

    /// <summary>What carries packets to this host's own addresses: lo unless a test sets another
    /// (before any socket exists).</summary>
    public ILink Link = LoopbackLink.Instance;

    private EthernetLink? _ethernet;
    private readonly Kevlar.Runtime.Devices.ISystemClock? _clock;

    public InetStack(Kevlar.Runtime.Devices.ISystemClock? clock = null)
    {
        _clock = clock;
    }

    /// <summary>The Ethernet device's link (eth0), or null.</summary>
    public EthernetLink? Ethernet => _ethernet;

    /// <summary>Puts <paramref name="device"/> beneath the stack as eth0 (down, no address) and starts
    /// its reception. Once, at start-up, before any socket exists.</summary>
    public EthernetLink AttachDevice(Kevlar.Runtime.Devices.INetworkDevice device)
    {
        var link = new EthernetLink(this, device, _clock!, "eth0", 2);
        _ethernet = link;
        device.Start(link);
        return link;
    }

    /// <summary>Gives the Ethernet interface <paramref name="address"/>/<paramref name="prefixLength"/>
    /// and brings it up, with <paramref name="gateway"/> (0: none) as the default route — the
    /// kernel's ip= parameter. Run here.</summary>
    public long Configure(uint address, int prefixLength, uint gateway)
    {
        EthernetLink? link = _ethernet;
        if (link == null) return -Errno.ENODEV;
        link.Interface.SetAddress(address, prefixLength);
        link.Interface.SetFlags(link.Interface.Flags | NetInterface.IFF_UP, link.Carrier);
        Gateway = gateway;
        return 0;
    }

    /// <summary>SIOCSIFADDR/SIOCSIFNETMASK on <paramref name="iface"/>, run here: lo keeps 127.0.0.1/8
    /// (its addresses are all local here whatever it is told: -EOPNOTSUPP); an Ethernet interface
    /// takes the address (0.0.0.0 removes it) and its routes follow (a default route whose gateway
    /// leaves the subnet is removed).</summary>
    public long SetAddress(NetInterface iface, uint address, int prefixLength)
    {
        if (iface.IsLoopback) return -Errno.EOPNOTSUPP;
        iface.SetAddress(address, address == 0 ? 0 : prefixLength);
        // fib_del_ifaddr: a default route whose gateway is no longer on the subnet goes with it.
        if (Gateway != 0 && !iface.OnLink(Gateway)) Gateway = 0;
        return 0;
    }

    /// <summary>SIOCADDRT/RTM_NEWROUTE for the default route, run here: -EEXIST when there is one,
    /// -ENETUNREACH when <paramref name="gateway"/> is not on the Ethernet interface's subnet.</summary>
    public long AddDefaultRoute(uint gateway)
    {
        NetInterface? eth = _ethernet?.Interface;
        if (Gateway != 0) return -Errno.EEXIST;
        if (eth == null || !eth.Up || !eth.OnLink(gateway)) return -Errno.ENETUNREACH;
        Gateway = gateway;
        return 0;
    }

    /// <summary>SIOCDELRT/RTM_DELROUTE for the default route, run here: -ESRCH when there is none
    /// (or <paramref name="gateway"/>, when given, is not its gateway).</summary>
    public long DeleteDefaultRoute(uint gateway)
    {
        if (Gateway == 0 || (gateway != 0 && gateway != Gateway)) return -Errno.ESRCH;
        Gateway = 0;
        return 0;
    }

    /// <summary>SIOCSIFFLAGS on <paramref name="iface"/>, run here: RUNNING follows UP and the carrier.</summary>
    public long SetFlags(NetInterface iface, int flags)
    {
        iface.SetFlags(flags, iface != _ethernet?.Interface || _ethernet.Carrier);
        // fib_disable_ip: an Ethernet interface taken down loses its routes, the default one too.
        if (iface == _ethernet?.Interface && !iface.Up) Gateway = 0;
        return 0;
    }

    // ip_output: to this host through lo (or the test's link), the rest through the Ethernet device.
    private void Send(byte[] packet, List<Delivery>? deliveries)
    {
        Interlocked.Increment(ref _packetsOut);
        uint destination = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(packet, 16, 4));
        EthernetLink? eth = _ethernet;
        if (eth == null || IsLocal(destination))
        {
            if (Link is LoopbackLink) Loopback.Sent(packet.Length);
            Link.Carry(this, packet, deliveries);
            return;
        }
        if (!eth.Interface.Up)
        {
            Drop(PacketDrop.TransmitFailed);
            return;
        }
        eth.Carry(this, packet, deliveries);
    }

    /// <summary>Makes a sending thread's <paramref name="deliveries"/>, in order, each a request to its socket.</summary>
    public static async KernelTask<long> Complete(UserThread t, List<Delivery>? deliveries)
    {
        if (deliveries == null) return 0;
        for (int i = 0; i < deliveries.Count; i++) await deliveries[i].Socket.Run(t, deliveries[i].Operation);
        return 0;
    }

    /// <summary>Counts a dropped packet (any CPU).</summary>
    public void Drop(PacketDrop reason) => Interlocked.Increment(ref _drops[(int)reason]);

    /// <summary>Runs <paramref name="operation"/> on <paramref name="socket"/>: by the sending thread
    /// for a packet sent through lo, else posted.</summary>
    private void Deliver(FileOwner socket, Func<long> operation, List<Delivery>? deliveries)
    {
        if (deliveries == null)
        {
            // A message, never inline: the socket may be the one whose handler sent this packet.
            socket.Defer(operation);
            return;
        }
        deliveries.Add(new Delivery(socket, operation));
    }

    /// <summary>A packet a socket's actor sends, on its CPU: its deliveries posted, or collected in
    /// <paramref name="deliveries"/> for the thread whose call it runs to make.</summary>
    internal long Output(byte[] packet, List<Delivery>? deliveries = null)
    {
        Send(packet, deliveries);
        return 0;
    }

    /// <summary>A packet a device received (run here): its deliveries are posted.</summary>
    public long DeviceInput(byte[] packet)
    {
        Input(packet, null);
        return 0;
    }

    /// <summary>A packet received on an interface (ip_rcv): checked, then handed to its protocol.
    /// <paramref name="deliveries"/>: sent through lo by a thread, which makes the deliveries.
    /// <paramref name="loopback"/>: it never left memory, so the transport checksum is not verified
    /// again (Linux marks lo's packets CHECKSUM_UNNECESSARY); a device's packets are verified.</summary>
    internal void Input(byte[] packet, List<Delivery>? deliveries, bool loopback = false)
    {
        Interlocked.Increment(ref _packetsIn);
        if (loopback) Loopback.Received(packet.Length);
        PacketDrop why = Ipv4Header.Parse(packet, out Ipv4Header ip);
        if (why == PacketDrop.None && !IsLocal(ip.Destination) && !IsBroadcast(ip.Destination)) why = PacketDrop.NotForUs;
        if (why == PacketDrop.None && ip.IsFragment)
        {
            // ip_defrag, for a device's packets (on its actor: the reassembly is that actor's); lo
            // never carries fragments, as nothing sent over it is larger than its MTU.
            if (loopback)
            {
                why = PacketDrop.Fragment;
            }
            else
            {
                byte[]? whole = Reassembly.Add(packet, ip, _clock?.MonotonicNanoseconds ?? 0);
                if (whole == null) return;
                packet = whole;
                Ipv4Header.Parse(packet, out ip);
            }
        }
        if (why != PacketDrop.None)
        {
            Drop(why);
            if (why == PacketDrop.Fragment) Interlocked.Increment(ref IpReasmFails);
            else if (why == PacketDrop.NotForUs) Interlocked.Increment(ref IpInAddrErrors);
            else Interlocked.Increment(ref IpInHdrErrors);
            return;
        }
        Interlocked.Increment(ref IpInDelivers);
        var payload = new ReadOnlySpan<byte>(packet, ip.HeaderLength, ip.TotalLength - ip.HeaderLength);
        switch (ip.Protocol)
        {
            case Ipv4Header.ProtocolUdp: UdpInput(packet, ip, payload, deliveries, loopback); break;
            case Ipv4Header.ProtocolIcmp: IcmpInput(packet, ip, payload, deliveries); break;
            case Ipv4Header.ProtocolTcp: TcpInput(packet, ip, payload, deliveries, loopback); break;
            default:
                Drop(PacketDrop.UnknownProtocol);
                Unreachable(packet, ip, IcmpMessage.CodeProtocolUnreachable, deliveries);
                break;
        }
    }

    private void UdpInput(byte[] packet, Ipv4Header ip, ReadOnlySpan<byte> segment, List<Delivery>? deliveries, bool loopback)
    {
        PacketDrop why = UdpHeader.Parse(segment, ip.Source, ip.Destination, out UdpHeader udp, !loopback);
        if (why != PacketDrop.None)
        {
            Drop(why);
            Interlocked.Increment(ref UdpInErrors);
            return;
        }
        var data = new byte[udp.DatagramLength - UdpHeader.Length];
        segment.Slice(UdpHeader.Length, data.Length).CopyTo(data);
        var source = new InetAddress(ip.Source, udp.SourcePort);
        if (IsBroadcast(ip.Destination))
        {
            // Every socket on the port hears a broadcast; nobody answers for a missing one.
            var all = new List<InetSocket>();
            if (_udp.LookupAll(ip.Destination, udp.DestinationPort, ip.Source, udp.SourcePort, all) == 0)
            {
                Drop(PacketDrop.NoPort);
                Interlocked.Increment(ref UdpNoPorts);
            }
            for (int i = 0; i < all.Count; i++)
                if (!((UdpSocket)all[i]).ClosingHint) DeliverUdp((UdpSocket)all[i], source, data, deliveries);
            return;
        }
        var socket = (UdpSocket?)_udp.Lookup(ip.Destination, udp.DestinationPort, ip.Source, udp.SourcePort);
        // A socket whose last fd is closed holds its port no more, though its unbind may still be on the way.
        if (socket != null && socket.ClosingHint) socket = null;
        if (socket == null)
        {
            Drop(PacketDrop.NoPort);
            Interlocked.Increment(ref UdpNoPorts);
            Unreachable(packet, ip, IcmpMessage.CodePortUnreachable, deliveries);
            return;
        }
        DeliverUdp(socket, source, data, deliveries);
    }

    private void DeliverUdp(UdpSocket socket, InetAddress source, byte[] data, List<Delivery>? deliveries)
        => Deliver(socket, () =>
        {
            if (socket.Deliver(source, data)) Interlocked.Increment(ref UdpInDatagrams);
            else
            {
                Drop(PacketDrop.ReceiveBufferFull);
                Interlocked.Increment(ref UdpRcvbufErrors);
                Interlocked.Increment(ref UdpInErrors);
            }
            return 0;
        }, deliveries);

    /// <summary>tcp_v4_rcv: the segment to its connection (or listener); for none, an RST back.</summary>
    private void TcpInput(byte[] packet, Ipv4Header ip, ReadOnlySpan<byte> segment, List<Delivery>? deliveries, bool loopback)
    {
        PacketDrop why = TcpHeader.Parse(segment, ip.Source, ip.Destination, out TcpHeader tcp, !loopback);
        if (why != PacketDrop.None)
        {
            Drop(why);
            Interlocked.Increment(ref Tcp.InErrs);
            return;
        }
        Interlocked.Increment(ref Tcp.InSegs); // tcp_v4_rcv counts every segment it takes, for a listener too
        // The data stays in the packet (nobody writes a packet once sent): no copy on the way.
        int offset = ip.HeaderLength + tcp.HeaderLength, length = segment.Length - tcp.HeaderLength;
        var socket = (TcpSocket?)_tcp.Lookup(ip.Destination, tcp.DestinationPort, ip.Source, tcp.SourcePort);
        if (socket == null)
        {
            Drop(PacketDrop.NoPort);
            byte[]? reset = TcpConnection.ResetFor(tcp, length, ip.Source, ip.Destination);
            if (reset != null) Send(reset, deliveries);
            return;
        }
        uint source = ip.Source, destination = ip.Destination;
        Deliver(socket, () => socket.Segment(tcp, packet, offset, length, source, destination), deliveries);
    }

    /// <summary>A packet this host sent whose next hop never answered ARP: its sender is told with
    /// an ICMP host unreachable (run here).</summary>
    internal void HostUnreachable(byte[] packet)
    {
        if (Ipv4Header.Parse(packet, out Ipv4Header ip) != PacketDrop.None) return;
        Unreachable(packet, ip, IcmpMessage.CodeHostUnreachable, null);
    }

    /// <summary>icmp_send: tells the sender of <paramref name="packet"/> it could not be delivered
    /// (never about an ICMP error, a broadcast or a fragment, as RFC 1122 3.2.2 forbids).</summary>
    private void Unreachable(byte[] packet, Ipv4Header ip, byte code, List<Delivery>? deliveries)
    {
        if (ip.Protocol == Ipv4Header.ProtocolIcmp && packet.Length > ip.HeaderLength && packet[ip.HeaderLength] != IcmpMessage.EchoRequest) return;
        if (ip.Destination == InetAddress.Broadcast || InetAddress.IsMulticast(ip.Destination)) return;
        byte[] message = IcmpMessage.Unreachable(code, new ReadOnlySpan<byte>(packet, 0, ip.TotalLength), ip.HeaderLength);
        SendIcmp(ip.Destination, ip.Source, message, deliveries);
    }

    private void SendIcmp(uint source, uint destination, byte[] message, List<Delivery>? deliveries)
    {
        var packet = new byte[Ipv4Header.MinLength + message.Length];
        new ReadOnlySpan<byte>(message).CopyTo(new Span<byte>(packet, Ipv4Header.MinLength, message.Length));
        Ipv4Header.Write(packet, packet.Length, NextId(), Ipv4Header.DefaultTtl, Ipv4Header.ProtocolIcmp, source, destination);
        Send(packet, deliveries);
    }

    private void IcmpInput(byte[] packet, Ipv4Header ip, ReadOnlySpan<byte> message, List<Delivery>? deliveries)
    {
        PacketDrop why = IcmpMessage.Check(message);
        if (why != PacketDrop.None)
        {
            Drop(why);
            return;
        }
        // raw_v4_input: every raw ICMP socket gets its own copy, header and all (packets are never
        // written once sent, so one copy serves them all).
        RawSocket[] raw = Volatile.Read(ref _raw);
        if (raw.Length > 0)
        {
            var copy = new byte[ip.TotalLength];
            new ReadOnlySpan<byte>(packet, 0, ip.TotalLength).CopyTo(copy);
            for (int i = 0; i < raw.Length; i++)
            {
                RawSocket r = raw[i];
                Deliver(r, () => r.Deliver(copy), deliveries);
            }
        }
        if (message[0] == IcmpMessage.EchoRequest)
        {
            SendIcmp(ip.Destination, ip.Source, IcmpMessage.EchoReplyTo(message), deliveries);
            return;
        }
        // An unreachable quotes the packet that failed: its header and its first 8 bytes.
        ReadOnlySpan<byte> quoted = message.Slice(IcmpMessage.HeaderLength);
        if (message[0] != IcmpMessage.DestinationUnreachable || quoted.Length < Ipv4Header.MinLength)
        {
            Drop(PacketDrop.IgnoredIcmp);
            return;
        }
        int ihl = (quoted[0] & 0xF) * 4;
        if (ihl < Ipv4Header.MinLength || quoted.Length < ihl + 8 || (quoted[9] != Ipv4Header.ProtocolUdp && quoted[9] != Ipv4Header.ProtocolTcp))
        {
            Drop(PacketDrop.IgnoredIcmp);
            return;
        }
        uint source = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(quoted.Slice(12));
        uint destination = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(quoted.Slice(16));
        int sourcePort = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(quoted.Slice(ihl));
        int destinationPort = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(quoted.Slice(ihl + 2));
        int error = IcmpMessage.UnreachableErrno(message[1], out bool hard);
        if (quoted[9] == Ipv4Header.ProtocolTcp)
        {
            // tcp_v4_err: the connection that sent it (an opening one fails, an open one keeps a soft error).
            var tcp = _tcp.Lookup(source, sourcePort, destination, destinationPort) as TcpSocket;
            if (tcp == null)
            {
                Drop(PacketDrop.IgnoredIcmp);
                return;
            }
            Deliver(tcp, () => tcp.IcmpError(error), deliveries);
            return;
        }
        // __udp4_lib_err: the socket that sent it, looked up as if the packet came back.
        var socket = (UdpSocket?)_udp.Lookup(source, sourcePort, destination, destinationPort);
        if (socket == null)
        {
            Drop(PacketDrop.IgnoredIcmp);
            return;
        }
        Deliver(socket, () => socket.IcmpError(error, hard), deliveries);
    }
}
