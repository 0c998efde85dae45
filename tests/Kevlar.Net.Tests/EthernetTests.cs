// EthernetTests: what eth0 rests on — the Ethernet header, ARP messages
// (RFC 826) written and parsed back and the malformed ones refused, the ARP
// cache's states (a packet waits for its reply, three unanswered requests
// fail the address, a stale entry is still used and asked again once a
// second), IPv4 fragmentation of an oversized datagram, and the ip= kernel
// parameter.
using System.Buffers.Binary;
using Kevlar.Net;
using Xunit;

namespace Kevlar.Net.Tests;

public class EthernetTests
{
    private static readonly byte[] Mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
    private static readonly byte[] PeerMac = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };
    private const uint Us = 0x0A00020F, Gateway = 0x0A000202;
    private const ulong Second = 1_000_000_000UL;

    [Fact]
    public void EthernetHeader_WrittenAndRead()
    {
        var h = new byte[EthernetHeader.Length];
        EthernetHeader.Write(h, PeerMac, Mac, EthernetHeader.TypeArp);
        Assert.Equal(PeerMac, h[..6]);
        Assert.Equal(Mac, h[6..12]);
        Assert.Equal(EthernetHeader.TypeArp, EthernetHeader.Type(h));
        Assert.True(EthernetHeader.IsForUs(h, PeerMac));
        Assert.False(EthernetHeader.IsForUs(h, Mac));
        EthernetHeader.Write(h, EthernetHeader.Broadcast, Mac, EthernetHeader.TypeIpv4);
        Assert.True(EthernetHeader.IsForUs(h, PeerMac)); // broadcast
        h[0] = 0x01; // a multicast group
        Assert.True(EthernetHeader.IsForUs(h, PeerMac));
        Assert.Equal("52:54:00:12:34:56", EthernetHeader.Format(Mac));
    }

    [Fact]
    public void Arp_RequestWrittenAndParsedBack()
    {
        var arp = new byte[ArpPacket.Length];
        ArpPacket.Write(arp, ArpPacket.Request, Mac, Us, default, Gateway);
        // RFC 826's fixed fields: Ethernet (1), IPv4 (0x0800), lengths 6 and 4.
        Assert.Equal(new byte[] { 0, 1, 8, 0, 6, 4, 0, 1 }, arp[..8]);
        Assert.Equal(new byte[6], arp[18..24]);
        Assert.Equal(PacketDrop.None, ArpPacket.Parse(arp, out ArpPacket p));
        Assert.Equal(ArpPacket.Request, p.Operation);
        Assert.Equal(Mac, p.SenderMac);
        Assert.Equal(Us, p.SenderAddress);
        Assert.Equal(Gateway, p.TargetAddress);
    }

    [Fact]
    public void Arp_MalformedMessages_AreRefused()
    {
        var arp = new byte[ArpPacket.Length];
        ArpPacket.Write(arp, ArpPacket.Reply, Mac, Us, PeerMac, Gateway);
        Assert.Equal(PacketDrop.Truncated, ArpPacket.Parse(arp.AsSpan(0, 27), out _));
        foreach (var (offset, value) in new[] { (1, (byte)6), (2, (byte)0x86), (4, (byte)8), (5, (byte)16), (7, (byte)3) })
        {
            var bad = (byte[])arp.Clone();
            bad[offset] = value;
            Assert.Equal(PacketDrop.BadArp, ArpPacket.Parse(bad, out _));
        }
    }

    [Fact]
    public void ArpCache_PacketWaitsForTheReply_ThenGoesInOrder()
    {
        var cache = new ArpCache();
        Assert.Null(cache.Lookup(Gateway, 0, out _));
        byte[] first = { 1 }, second = { 2 };
        Assert.True(cache.Enqueue(Gateway, first, 0, out int failed, out _));   // the first asks
        Assert.Equal(0, failed);
        Assert.False(cache.Enqueue(Gateway, second, Second / 2, out failed, out _)); // within a second: waits, no new request
        var waiting = cache.Learn(Gateway, PeerMac, Second / 2);
        Assert.NotNull(waiting);
        Assert.Equal(new[] { first, second }, waiting!);
        Assert.Equal(PeerMac, cache.Lookup(Gateway, Second, out bool stale));
        Assert.False(stale);
        Assert.Single(cache.Entries);
    }

    [Fact]
    public void ArpCache_ThreeUnansweredRequests_FailWhatWaited()
    {
        var cache = new ArpCache();
        Assert.True(cache.Enqueue(Gateway, new byte[1], 0, out _, out _));
        Assert.True(cache.Enqueue(Gateway, new byte[1], Second, out int failed, out _));
        Assert.Equal(0, failed);
        Assert.True(cache.Enqueue(Gateway, new byte[1], 2 * Second, out failed, out _));
        Assert.Equal(0, failed);
        // The fourth try after three requests: the three packets that waited are dropped, this one starts over.
        Assert.True(cache.Enqueue(Gateway, new byte[1], 3 * Second, out failed, out var unanswered));
        Assert.Equal(3, failed);
        Assert.Equal(3, unanswered!.Count);
    }

    [Fact]
    public void ArpCache_QueueIsBounded()
    {
        var cache = new ArpCache();
        int dropped = 0;
        for (int i = 0; i < ArpCache.MaxQueued + 5; i++)
        {
            cache.Enqueue(Gateway, new byte[1], 0, out int failed, out var unanswered);
            Assert.Null(unanswered); // a full queue is not an unanswered address
            dropped += failed;
        }
        Assert.Equal(5, dropped);
        Assert.Equal(ArpCache.MaxQueued, cache.Learn(Gateway, PeerMac, 0)!.Count);
    }

    [Fact]
    public void ArpCache_StaleEntry_IsUsedAndAskedAgainOncePerSecond()
    {
        var cache = new ArpCache();
        cache.Learn(Gateway, PeerMac, 0);
        ulong later = ArpCache.ReachableNanoseconds + Second;
        Assert.Equal(PeerMac, cache.Lookup(Gateway, later, out bool stale));
        Assert.True(stale);
        Assert.True(cache.RefreshDue(Gateway, later));
        Assert.False(cache.RefreshDue(Gateway, later + Second / 2));
        Assert.True(cache.RefreshDue(Gateway, later + Second));
        cache.Learn(Gateway, Mac, later + Second); // a new MAC replaces the old
        Assert.Equal(Mac, cache.Lookup(Gateway, later + Second, out stale));
        Assert.False(stale);
        Assert.Single(cache.Entries);
    }

    [Fact]
    public void Fragment_SplitsOnEightByteBoundaries_AndEachHeaderChecksums()
    {
        const int data = 4000;
        var packet = new byte[Ipv4Header.MinLength + data];
        for (int i = 0; i < data; i++) packet[Ipv4Header.MinLength + i] = (byte)i;
        Ipv4Header.Write(packet, packet.Length, 77, 64, Ipv4Header.ProtocolUdp, Us, Gateway);
        var fragments = Ipv4Header.Fragment(packet, 1500);
        Assert.Equal(3, fragments.Count);
        int offset = 0;
        for (int i = 0; i < fragments.Count; i++)
        {
            byte[] f = fragments[i];
            Assert.True(f.Length <= 1500);
            Assert.Equal(0, InternetChecksum.Of(f.AsSpan(0, Ipv4Header.MinLength)));
            ushort flags = BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(6));
            Assert.Equal(i < fragments.Count - 1, (flags & 0x2000) != 0);   // MF on all but the last
            Assert.Equal(0, flags & 0x4000);                                // DF cleared
            Assert.Equal(offset / 8, flags & 0x1FFF);
            Assert.Equal(77, BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(4)));
            Assert.Equal(packet.AsSpan(Ipv4Header.MinLength + offset, f.Length - Ipv4Header.MinLength).ToArray(), f[Ipv4Header.MinLength..]);
            if (i < fragments.Count - 1) Assert.Equal(0, (f.Length - Ipv4Header.MinLength) % 8);
            offset += f.Length - Ipv4Header.MinLength;
        }
        Assert.Equal(data, offset);
    }

    [Theory]
    [InlineData("10.0.2.15::10.0.2.2:255.255.255.0", 0x0A00020Fu, 24, 0x0A000202u, "")]
    [InlineData("10.0.3.1:::255.255.255.0", 0x0A000301u, 24, 0u, "")]
    [InlineData("192.168.1.9", 0xC0A80109u, 24, 0u, "")]                 // class C default
    [InlineData("172.16.0.1:10.0.0.1:172.16.0.254::host:eth0:off", 0xAC100001u, 16, 0xAC1000FEu, "eth0")]
    [InlineData("10.1.2.3:::255.255.0.0:::", 0x0A010203u, 16, 0u, "")]
    public void IpParameter_StaticForms(string text, uint address, int prefix, uint gateway, string device)
    {
        var p = IpParameter.Parse(text);
        Assert.NotNull(p);
        Assert.Equal(address, p!.Address);
        Assert.Equal(prefix, p.PrefixLength);
        Assert.Equal(gateway, p.Gateway);
        Assert.Equal(device, p.Device);
    }

    [Theory]
    [InlineData("dhcp")]
    [InlineData("off")]
    [InlineData("")]
    [InlineData("10.0.2")]
    [InlineData("10.0.2.256")]
    [InlineData("10.0.2.15::10.0.2.x:255.255.255.0")]
    [InlineData("10.0.2.15:::255.0.255.0")]   // a mask with a hole
    [InlineData("0.0.0.0")]
    public void IpParameter_OtherForms_ConfigureNothing(string text) => Assert.Null(IpParameter.Parse(text));

    [Fact]
    public void NetInterface_BroadcastAndSubnet()
    {
        var eth = NetInterface.NewEthernet("eth0", 2, 1500, Mac);
        Assert.Equal(0u, eth.BroadcastAddress);
        Assert.False(eth.OnLink(Gateway));
        eth.SetAddress(Us, 24);
        Assert.Equal(0x0A0002FFu, eth.BroadcastAddress);
        Assert.True(eth.OnLink(Gateway));
        Assert.False(eth.OnLink(0x0A000302));
        eth.SetFlags(NetInterface.IFF_UP, carrier: false);
        Assert.Equal(NetInterface.IFF_UP | NetInterface.IFF_BROADCAST, eth.Flags & (NetInterface.IFF_UP | NetInterface.IFF_BROADCAST | NetInterface.IFF_RUNNING));
        eth.SetFlags(NetInterface.IFF_UP, carrier: true);
        Assert.NotEqual(0, eth.Flags & NetInterface.IFF_RUNNING);
    }
}
