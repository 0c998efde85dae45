// ArpPacket: an ARP message for IPv4 over Ethernet (RFC 826), 28 bytes after
// the Ethernet header: hardware type 1, protocol type 0x0800, hardware length
// 6, protocol length 4, operation (1 request, 2 reply), sender MAC, sender
// IPv4, target MAC, target IPv4; big-endian.
using System;
using System.Buffers.Binary;

namespace Kevlar.Net;

public readonly struct ArpPacket
{
    public const int Length = 28;
    public const ushort Request = 1, Reply = 2;

    public readonly ushort Operation;
    public readonly byte[] SenderMac;
    public readonly uint SenderAddress;
    public readonly uint TargetAddress;

    private ArpPacket(ushort operation, byte[] senderMac, uint senderAddress, uint targetAddress)
    {
        Operation = operation;
        SenderMac = senderMac;
        SenderAddress = senderAddress;
        TargetAddress = targetAddress;
    }

    /// <summary>Reads an ARP packet for IPv4 over Ethernet; anything else is PacketDrop.BadArp.</summary>
    public static PacketDrop Parse(ReadOnlySpan<byte> arp, out ArpPacket packet)
    {
        packet = default;
        if (arp.Length < Length) return PacketDrop.Truncated;
        if (BinaryPrimitives.ReadUInt16BigEndian(arp) != 1 || BinaryPrimitives.ReadUInt16BigEndian(arp.Slice(2)) != EthernetHeader.TypeIpv4
            || arp[4] != EthernetHeader.AddressLength || arp[5] != 4)
            return PacketDrop.BadArp;
        ushort op = BinaryPrimitives.ReadUInt16BigEndian(arp.Slice(6));
        if (op != Request && op != Reply) return PacketDrop.BadArp;
        var mac = new byte[EthernetHeader.AddressLength];
        arp.Slice(8, EthernetHeader.AddressLength).CopyTo(mac);
        packet = new ArpPacket(op, mac, BinaryPrimitives.ReadUInt32BigEndian(arp.Slice(14)), BinaryPrimitives.ReadUInt32BigEndian(arp.Slice(24)));
        return PacketDrop.None;
    }

    /// <summary>Writes an ARP message (Length bytes) into <paramref name="into"/>; a request's target MAC is zero.</summary>
    public static void Write(Span<byte> into, ushort operation, ReadOnlySpan<byte> senderMac, uint senderAddress, ReadOnlySpan<byte> targetMac, uint targetAddress)
    {
        BinaryPrimitives.WriteUInt16BigEndian(into, 1);
        BinaryPrimitives.WriteUInt16BigEndian(into.Slice(2), EthernetHeader.TypeIpv4);
        into[4] = EthernetHeader.AddressLength;
        into[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(into.Slice(6), operation);
        senderMac.Slice(0, 6).CopyTo(into.Slice(8));
        BinaryPrimitives.WriteUInt32BigEndian(into.Slice(14), senderAddress);
        if (targetMac.Length >= 6) targetMac.Slice(0, 6).CopyTo(into.Slice(18));
        else into.Slice(18, 6).Clear();
        BinaryPrimitives.WriteUInt32BigEndian(into.Slice(24), targetAddress);
    }
}
