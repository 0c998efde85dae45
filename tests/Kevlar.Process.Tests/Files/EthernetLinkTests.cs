// EthernetLinkTests: eth0 under the stack, on a fake Ethernet device that
// keeps what is sent and lets the test hand frames in as a device's actor
// would — an ARP request for our address is answered and teaches us the
// sender; a datagram to the gateway waits for its ARP reply, then leaves with
// the gateway's MAC and a correct checksum; a datagram off the subnet goes to
// the gateway's MAC; malformed frames (short, unknown type, another host's,
// bad ARP, bad IPv4) are dropped and counted while a good one after them
// still arrives.
using System.Buffers.Binary;
using System.Text;
using Kevlar.Net;
using Kevlar.Process.Files.Sockets.Inet;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Devices;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Files;

public class EthernetLinkTests
{
    private const ulong Name = Scratch + 0x800, Data = Scratch + 0x1000, Length = Scratch + 0x900;
    private const uint Us = 0x0A00020F, Gateway = 0x0A000202, Far = 0x08080808;
    private static readonly byte[] Mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
    private static readonly byte[] GatewayMac = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };

    private sealed class FakeDevice : INetworkDevice
    {
        public readonly List<byte[]> Sent = new();
        public INetworkReceiver? Receiver;
        public byte[] HardwareAddress => Mac;
        public int Mtu => 1500;
        public bool LinkUp => true;
        public long TransmitDrops => 0;
        public bool ChecksumOffload { get; init; }

        // With offload, finishes the checksum as virtio's device does (5.1.6.2): the one's complement
        // sum from checksumStart to the end, over a field that holds the pseudo-header's sum.
        public bool Transmit(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload, int checksumStart = -1, int checksumOffset = 0)
        {
            byte[] frame = [.. header, .. payload];
            if (checksumStart >= 0)
            {
                Assert.True(ChecksumOffload, "a checksum left to a device that does not offload");
                ushort sum = InternetChecksum.Of(frame.AsSpan(checksumStart));
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(checksumStart + checksumOffset), sum);
            }
            lock (Sent) Sent.Add(frame);
            return true;
        }

        public void Start(INetworkReceiver receiver) => Receiver = receiver;
    }

    private readonly ProcessHarness _k = new();
    private readonly FakeDevice _device;
    private readonly InetStack _inet;

    public EthernetLinkTests() : this(false) { }

    private EthernetLinkTests(bool offload)
    {
        _device = new FakeDevice { ChecksumOffload = offload };
        _inet = _k.Host.Inet;
        _inet.AttachDevice(_device);
        Assert.Equal(0, _k.OnCpu(0, () => _inet.Configure(Us, 24, Gateway)));
        _k.Run();
    }

    private void Receive(byte[] frame) => _k.OnCpu(1, () =>
    {
        _device.Receiver!.Receive(frame);
        return 0L;
    });

    private static byte[] Frame(byte[] destination, byte[] source, ushort type, byte[] payload)
    {
        var f = new byte[EthernetHeader.Length + payload.Length];
        EthernetHeader.Write(f, destination, source, type);
        payload.CopyTo(f, EthernetHeader.Length);
        return f;
    }

    private static byte[] Arp(ushort operation, byte[] senderMac, uint sender, byte[] targetMac, uint target)
    {
        var a = new byte[ArpPacket.Length];
        ArpPacket.Write(a, operation, senderMac, sender, targetMac, target);
        return a;
    }

    private static byte[] Udp(uint source, uint destination, int toPort, string text)
    {
        byte[] payload = Encoding.Latin1.GetBytes(text);
        var p = new byte[28 + payload.Length];
        payload.CopyTo(p, 28);
        UdpHeader.Write(p.AsSpan(20), 40000, (ushort)toPort, source, destination);
        Ipv4Header.Write(p, p.Length, 1, 64, Ipv4Header.ProtocolUdp, source, destination);
        return p;
    }

    private (int fd, int port) BoundUdp(UserProcess p)
    {
        int fd = InetSockets.Create(_k, p, SocketConstants.SOCK_DGRAM);
        ulong len = InetSockets.PutAddress(p, Name, InetAddress.Any, 0);
        Assert.Equal(0, _k.Call(p.MainThread, () => Bind.Do(p.MainThread, fd, Name, len)));
        PutUInt64(p, Length, 16);
        Assert.Equal(0, _k.Call(p.MainThread, () => SockName.InvokeGetsockname(p.MainThread, Args((ulong)fd, Name, Length))));
        return (fd, BinaryPrimitives.ReadUInt16BigEndian(Get(p, Name + 2, 2)));
    }

    private long SendTo(UserProcess p, int fd, string text, uint address, int port)
    {
        byte[] b = Encoding.Latin1.GetBytes(text);
        Put(p, Data, b);
        ulong len = InetSockets.PutAddress(p, Name, address, port);
        return _k.Call(p.MainThread, () => Send.InvokeSendto(p.MainThread, Args((ulong)fd, Data, (ulong)b.Length, 0, Name, len)));
    }

    private byte[][] Sent()
    {
        lock (_device.Sent) return _device.Sent.ToArray();
    }

    [Fact]
    public void ArpRequestForUs_IsAnswered_AndTeachesTheSender()
    {
        Receive(Frame(EthernetHeader.Broadcast, GatewayMac, EthernetHeader.TypeArp, Arp(ArpPacket.Request, GatewayMac, Gateway, new byte[6], Us)));
        _k.Run();
        byte[] reply = Assert.Single(Sent());
        Assert.Equal(GatewayMac, reply[..6]);
        Assert.Equal(EthernetHeader.TypeArp, EthernetHeader.Type(reply));
        Assert.Equal(PacketDrop.None, ArpPacket.Parse(reply.AsSpan(EthernetHeader.Length), out ArpPacket arp));
        Assert.Equal(ArpPacket.Reply, arp.Operation);
        Assert.Equal(Mac, arp.SenderMac);
        Assert.Equal(Us, arp.SenderAddress);
        Assert.Equal(Gateway, arp.TargetAddress);
        Assert.Equal(GatewayMac, _inet.Ethernet!.Arp.Lookup(Gateway, 0, out _));
        // A request for another address is not ours to answer.
        Receive(Frame(EthernetHeader.Broadcast, GatewayMac, EthernetHeader.TypeArp, Arp(ArpPacket.Request, GatewayMac, Gateway, new byte[6], Us + 1)));
        _k.Run();
        Assert.Single(Sent());
    }

    [Fact]
    public void DatagramToTheGateway_WaitsForArp_ThenLeavesWithItsMacAndChecksum()
    {
        UserProcess p = _k.NewProcess(cpu: 1);
        var (fd, port) = BoundUdp(p);
        Assert.Equal(5, SendTo(p, fd, "hello", Gateway, 53));
        _k.Run();
        byte[] request = Assert.Single(Sent());
        Assert.Equal(EthernetHeader.Broadcast, request[..6]);
        Assert.Equal(PacketDrop.None, ArpPacket.Parse(request.AsSpan(EthernetHeader.Length), out ArpPacket ask));
        Assert.Equal(ArpPacket.Request, ask.Operation);
        Assert.Equal(Gateway, ask.TargetAddress);
        Assert.Equal(Us, ask.SenderAddress);

        Receive(Frame(Mac, GatewayMac, EthernetHeader.TypeArp, Arp(ArpPacket.Reply, GatewayMac, Gateway, Mac, Us)));
        _k.Run();
        byte[][] sent = Sent();
        Assert.Equal(2, sent.Length);
        byte[] frame = sent[1];
        Assert.Equal(GatewayMac, frame[..6]);
        Assert.Equal(Mac, frame[6..12]);
        Assert.Equal(EthernetHeader.TypeIpv4, EthernetHeader.Type(frame));
        byte[] packet = frame[EthernetHeader.Length..];
        Assert.Equal(PacketDrop.None, Ipv4Header.Parse(packet, out Ipv4Header ip));
        Assert.Equal(Us, ip.Source);
        Assert.Equal(Gateway, ip.Destination);
        // Verified as the receiver would: the UDP checksum was filled in for a packet that leaves.
        Assert.Equal(PacketDrop.None, UdpHeader.Parse(packet.AsSpan(ip.HeaderLength), ip.Source, ip.Destination, out UdpHeader udp, true));
        Assert.NotEqual(0, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(ip.HeaderLength + 6)));
        Assert.Equal(port, udp.SourcePort);
        Assert.Equal(53, udp.DestinationPort);
    }

    [Fact]
    public void ChecksumOffload_TheDeviceFinishesAChecksumTheReceiverAccepts()
    {
        var t = new EthernetLinkTests(true);
        t.Receive(Frame(Mac, GatewayMac, EthernetHeader.TypeArp, Arp(ArpPacket.Reply, GatewayMac, Gateway, Mac, Us)));
        t._k.Run();
        UserProcess p = t._k.NewProcess(cpu: 1);
        var (fd, _) = t.BoundUdp(p);
        Assert.Equal(5, t.SendTo(p, fd, "hello", Gateway, 53));
        t._k.Run();
        byte[] packet = Assert.Single(t.Sent())[EthernetHeader.Length..];
        Assert.Equal(PacketDrop.None, Ipv4Header.Parse(packet, out Ipv4Header ip));
        Assert.Equal(PacketDrop.None, UdpHeader.Parse(packet.AsSpan(ip.HeaderLength), ip.Source, ip.Destination, out _, true));
        Assert.NotEqual(0, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(ip.HeaderLength + 6)));
    }

    [Fact]
    public void DatagramOffTheSubnet_GoesToTheGatewaysMac_AndNoRouteIsEnetunreach()
    {
        Receive(Frame(Mac, GatewayMac, EthernetHeader.TypeArp, Arp(ArpPacket.Reply, GatewayMac, Gateway, Mac, Us)));
        _k.Run();
        UserProcess p = _k.NewProcess(cpu: 1);
        var (fd, _) = BoundUdp(p);
        Assert.Equal(2, SendTo(p, fd, "hi", Far, 53));
        _k.Run();
        byte[] frame = Assert.Single(Sent());
        Assert.Equal(GatewayMac, frame[..6]);
        Assert.Equal(Far, BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(EthernetHeader.Length + 16)));
        Assert.Equal(0, _k.OnCpu(0, () => _inet.DeleteDefaultRoute(0)));
        Assert.Equal(-Errno.ENETUNREACH, SendTo(p, fd, "hi", Far, 53));
        Assert.Equal(2, SendTo(p, fd, "hi", Gateway, 53)); // the subnet is still reachable
    }

    [Fact]
    public void ConnectToAnAddressNobodyAnswers_FailsWithEhostunreach()
    {
        const uint Nobody = 0x0A000263; // 10.0.2.99, on the subnet
        UserProcess p = _k.NewProcess(cpu: 1);
        int fd = InetSockets.Create(_k, p, SocketConstants.SOCK_STREAM);
        ulong len = InetSockets.PutAddress(p, Name, Nobody, 80);
        KernelTask<long> connect = _k.Start(p.MainThread, () => Kevlar.Process.Syscalls.Connect.Invoke(p.MainThread, Args((ulong)fd, Name, len)));
        _k.Run();
        // The SYN's retransmissions ask again (one request a second, three at most); the next one
        // after that gives the waiting SYNs up, and their sender hears ICMP host unreachable.
        for (int second = 0; second < 30 && !connect.IsCompleted; second++)
        {
            _k.Clock.MonotonicNanoseconds += 1_000_000_000;
            _k.Timers.FireDue(_k.Clock.MonotonicNanoseconds);
            _k.Run();
        }
        Assert.True(connect.IsCompleted, "connect to an address nobody answers never ended");
        Assert.Equal(-Errno.EHOSTUNREACH, connect.Result);
        // Three requests went unanswered (the SYN that found them so starts a round of its own).
        int requests = Sent().Count(f => EthernetHeader.Type(f) == EthernetHeader.TypeArp);
        Assert.InRange(requests, ArpCache.MaxRequests, ArpCache.MaxRequests + 1);
        Assert.True(_inet.Drops(PacketDrop.Unresolved) > 0);
    }

    [Fact]
    public void MalformedFrames_AreCountedDrops_AndAGoodOneStillArrives()
    {
        UserProcess server = _k.NewProcess(cpu: 0);
        var (fd, port) = BoundUdp(server);
        byte[] good = Udp(Gateway, Us, port, "ok");
        byte[] badChecksum = Udp(Gateway, Us, port, "xx");
        badChecksum[^1] ^= 0x40;
        byte[] badArp = Arp(ArpPacket.Request, GatewayMac, Gateway, new byte[6], Us);
        badArp[3] = 0x99;
        var junk = new[]
        {
            new byte[5],                                                                   // shorter than a header
            Frame(Mac, GatewayMac, 0x86DD, new byte[40]),                                  // IPv6: not taken
            Frame(GatewayMac, Mac, EthernetHeader.TypeIpv4, good),                         // another host's
            Frame(Mac, GatewayMac, EthernetHeader.TypeArp, badArp),
            Frame(Mac, GatewayMac, EthernetHeader.TypeArp, new byte[10]),                 // a cut ARP
            Frame(Mac, GatewayMac, EthernetHeader.TypeIpv4, new byte[8]),                 // a cut IPv4 header
            Frame(Mac, GatewayMac, EthernetHeader.TypeIpv4, badChecksum),
        };
        foreach (byte[] f in junk) Receive(f);
        Receive(Frame(Mac, GatewayMac, EthernetHeader.TypeIpv4, good));
        _k.Run();
        Assert.Equal(1, _inet.Drops(PacketDrop.UnknownEtherType));
        Assert.Equal(1, _inet.Drops(PacketDrop.NotForUs));
        Assert.Equal(2, _inet.Drops(PacketDrop.BadArp));
        Assert.Equal(2, _inet.Drops(PacketDrop.Truncated));
        Assert.Equal(1, _inet.Drops(PacketDrop.BadChecksum));
        Assert.Empty(Sent());
        long n = _k.Call(server.MainThread, () => ReadWrite.DoRead(server.MainThread, fd, Data, 64));
        Assert.Equal(2, n);
        Assert.Equal("ok", GetString(server, Data, 2));
    }
}
