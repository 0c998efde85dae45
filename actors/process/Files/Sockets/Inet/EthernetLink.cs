// EthernetLink: an Ethernet device beneath the stack (eth0). Outgoing, on the
// sender's CPU: the packet's next hop (itself on the subnet, else the
// gateway) is looked up in the ARP cache without a lock and the frame goes
// straight to the device; a next hop with no entry sends the packet to the
// stack's actor, which owns the cache's changes, to wait for the ARP reply
// (ArpCache: queued, asked up to three times). Incoming, on the device's
// actor: an IPv4 packet is copied out of the device's buffer into the stack's
// input (deliveries posted); an ARP request for our address is answered on
// the spot, and what it and replies teach goes to the stack's actor, which
// then sends what waited.
//
// State: Arp's changes are the stack actor's; the rest is immutable.
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Kevlar.Net;
using Kevlar.Runtime.Devices;

namespace Kevlar.Process.Files.Sockets.Inet;

public sealed class EthernetLink : ILink, INetworkReceiver
{
    private readonly InetStack _stack;
    private readonly INetworkDevice _device;
    private readonly ISystemClock _clock;
    private readonly byte[] _mac;
    public readonly NetInterface Interface;
    public readonly ArpCache Arp = new ArpCache();

    public EthernetLink(InetStack stack, INetworkDevice device, ISystemClock clock, string name, int index)
    {
        _stack = stack;
        _device = device;
        _clock = clock;
        _mac = device.HardwareAddress;
        Interface = NetInterface.NewEthernet(name, index, device.Mtu, _mac);
    }

    /// <summary>Whether the device reports its carrier.</summary>
    public bool Carrier => _device.LinkUp;

    private ulong Now => _clock.MonotonicNanoseconds;

    public void Carry(InetStack stack, byte[] packet, List<InetStack.Delivery>? deliveries)
    {
        if (packet.Length > Interface.Mtu)
        {
            // A datagram larger than the MTU leaves in fragments (TCP's MSS keeps its segments under
            // it), its checksum made over all of it first.
            FillChecksum(packet, false);
            List<byte[]> fragments = Ipv4Header.Fragment(packet, Interface.Mtu);
            System.Threading.Interlocked.Increment(ref stack.IpFragOks);
            System.Threading.Interlocked.Add(ref stack.IpFragCreates, fragments.Count);
            for (int i = 0; i < fragments.Count; i++) Carry(stack, fragments[i], deliveries);
            return;
        }
        uint destination = BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(packet, 16, 4));
        if (destination == InetAddress.Broadcast || destination == Interface.BroadcastAddress)
        {
            Send(EthernetHeader.Broadcast, EthernetHeader.TypeIpv4, packet);
            return;
        }
        uint hop = stack.NextHop(destination);
        byte[]? mac = Arp.Lookup(hop, Now, out bool stale);
        if (mac != null)
        {
            Send(mac, EthernetHeader.TypeIpv4, packet);
            if (stale) stack.Defer(() => Refresh(hop));
            return;
        }
        stack.Defer(() => Resolve(hop, packet));
    }

    private void Send(byte[] mac, ushort type, byte[] packet) => Send(mac, type, packet, FillChecksum(packet, _device.ChecksumOffload));

    private void Send(byte[] mac, ushort type, ReadOnlySpan<byte> payload, int checksumAt = -1)
    {
        Span<byte> header = stackalloc byte[EthernetHeader.Length];
        EthernetHeader.Write(header, mac, _mac, type);
        bool sent = checksumAt < 0
            ? _device.Transmit(header, payload)
            : _device.Transmit(header, payload, EthernetHeader.Length + (payload[0] & 0xF) * 4, checksumAt);
        if (sent) Interface.Sent(EthernetHeader.Length + payload.Length);
        else _stack.Drop(PacketDrop.TransmitFailed);
    }

    /// <summary>The transport checksum of a TCP or UDP packet leaving through this device (the
    /// builders leave it to the link, as Linux leaves CHECKSUM_PARTIAL to the driver): with
    /// <paramref name="offload"/> the pseudo-header's sum goes in the field and the field's offset
    /// in the transport header is returned, for the device to finish; else the whole checksum is
    /// made here (-1). A fragment, or any other protocol, is left alone (-1).</summary>
    private static int FillChecksum(byte[] packet, bool offload)
    {
        int ihl = (packet[0] & 0xF) * 4;
        byte protocol = packet[9];
        if ((protocol != Ipv4Header.ProtocolTcp && protocol != Ipv4Header.ProtocolUdp)
            || (BinaryPrimitives.ReadUInt16BigEndian(new ReadOnlySpan<byte>(packet, 6, 2)) & 0x3FFF) != 0)
            return -1;
        int field = protocol == Ipv4Header.ProtocolTcp ? 16 : 6;
        int length = BinaryPrimitives.ReadUInt16BigEndian(new ReadOnlySpan<byte>(packet, 2, 2)) - ihl;
        uint source = BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(packet, 12, 4));
        uint destination = BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(packet, 16, 4));
        ulong pseudo = InternetChecksum.AddPseudoHeader(0, source, destination, protocol, length);
        var place = new Span<byte>(packet, ihl + field, 2);
        if (offload)
        {
            BinaryPrimitives.WriteUInt16BigEndian(place, (ushort)~InternetChecksum.Fold(pseudo));
            return field;
        }
        place.Clear();
        ushort sum = InternetChecksum.Fold(InternetChecksum.Add(pseudo, new ReadOnlySpan<byte>(packet, ihl, length)));
        // RFC 768: a UDP checksum that comes out 0 is sent as all ones (0 means none).
        BinaryPrimitives.WriteUInt16BigEndian(place, sum == 0 && protocol == Ipv4Header.ProtocolUdp ? (ushort)0xFFFF : sum);
        return -1;
    }

    // ---- on the stack's actor --------------------------------------------------------------

    private long Resolve(uint hop, byte[] packet)
    {
        byte[]? mac = Arp.Lookup(hop, Now, out _);
        if (mac != null)
        {
            Send(mac, EthernetHeader.TypeIpv4, packet);
            return 0;
        }
        bool ask = Arp.Enqueue(hop, packet, Now, out int failed, out List<byte[]>? unanswered);
        for (int i = 0; i < failed; i++) _stack.Drop(PacketDrop.Unresolved);
        // arp_error_report: each sender hears that the host is unreachable (ICMP, to itself).
        if (unanswered != null)
            for (int i = 0; i < unanswered.Count; i++) _stack.HostUnreachable(unanswered[i]);
        if (ask) Request(hop);
        return 0;
    }

    private long Refresh(uint hop)
    {
        if (Arp.RefreshDue(hop, Now)) Request(hop);
        return 0;
    }

    private long Learned(uint address, byte[] mac)
    {
        List<byte[]>? waiting = Arp.Learn(address, mac, Now);
        if (waiting != null)
            for (int i = 0; i < waiting.Count; i++) Send(mac, EthernetHeader.TypeIpv4, waiting[i]);
        return 0;
    }

    /// <summary>Who has <paramref name="address"/>? Tell our address (broadcast).</summary>
    private void Request(uint address)
    {
        Span<byte> arp = stackalloc byte[ArpPacket.Length];
        ArpPacket.Write(arp, ArpPacket.Request, _mac, Interface.Address, default, address);
        Send(EthernetHeader.Broadcast, EthernetHeader.TypeArp, arp);
    }

    // ---- on the device's actor -------------------------------------------------------------

    public void Receive(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < EthernetHeader.Length)
        {
            _stack.Drop(PacketDrop.Truncated);
            return;
        }
        if (!EthernetHeader.IsForUs(frame, _mac) || !Interface.Up)
        {
            Interface.Dropped();
            _stack.Drop(PacketDrop.NotForUs);
            return;
        }
        Interface.Received(frame.Length);
        ReadOnlySpan<byte> payload = frame.Slice(EthernetHeader.Length);
        switch (EthernetHeader.Type(frame))
        {
            case EthernetHeader.TypeIpv4:
                var packet = new byte[payload.Length];
                payload.CopyTo(packet);
                _stack.Input(packet, null);
                break;
            case EthernetHeader.TypeArp:
                ArpInput(payload);
                break;
            default:
                _stack.Drop(PacketDrop.UnknownEtherType);
                break;
        }
    }

    // arp_process: a request for our address is answered and teaches us its sender; a reply to us
    // teaches its sender. Requests for others and unsolicited replies are ignored.
    private void ArpInput(ReadOnlySpan<byte> payload)
    {
        PacketDrop why = ArpPacket.Parse(payload, out ArpPacket arp);
        if (why != PacketDrop.None)
        {
            _stack.Drop(why == PacketDrop.Truncated ? PacketDrop.BadArp : why);
            return;
        }
        uint ours = Interface.Address;
        if (ours == 0 || arp.TargetAddress != ours || arp.SenderAddress == 0) return;
        if (arp.Operation == ArpPacket.Request)
        {
            Span<byte> reply = stackalloc byte[ArpPacket.Length];
            ArpPacket.Write(reply, ArpPacket.Reply, _mac, ours, arp.SenderMac, arp.SenderAddress);
            Send(arp.SenderMac, EthernetHeader.TypeArp, reply);
        }
        uint sender = arp.SenderAddress;
        byte[] mac = arp.SenderMac;
        _stack.Defer(() => Learned(sender, mac));
    }
}
