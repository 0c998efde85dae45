// EthernetHeader: the 14-byte Ethernet II header (IEEE 802.3, as
// DIX Ethernet frames are sent): destination MAC, source MAC, EtherType,
// big-endian. The device adds the FCS and pads short frames; a received
// frame may carry that padding after its packet.
using System;
using System.Buffers.Binary;

namespace Kevlar.Net;

public static class EthernetHeader
{
    public const int Length = 14, AddressLength = 6;
    public const ushort TypeIpv4 = 0x0800, TypeArp = 0x0806;

    /// <summary>ff:ff:ff:ff:ff:ff.</summary>
    public static readonly byte[] Broadcast = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };

    public static void Write(Span<byte> header, ReadOnlySpan<byte> destination, ReadOnlySpan<byte> source, ushort type)
    {
        destination.Slice(0, AddressLength).CopyTo(header);
        source.Slice(0, AddressLength).CopyTo(header.Slice(AddressLength));
        BinaryPrimitives.WriteUInt16BigEndian(header.Slice(12), type);
    }

    public static ushort Type(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(12));

    /// <summary>Whether the frame's destination is <paramref name="address"/>, broadcast or a
    /// multicast group (bit 0 of the first byte), which a device in normal mode passes up.</summary>
    public static bool IsForUs(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> address)
    {
        if ((frame[0] & 1) != 0) return true;
        for (int i = 0; i < AddressLength; i++)
            if (frame[i] != address[i]) return false;
        return true;
    }

    /// <summary>"52:54:00:12:34:56", as /proc/net/arp and ifconfig print a MAC.</summary>
    public static string Format(ReadOnlySpan<byte> mac)
    {
        var c = new char[3 * AddressLength - 1];
        for (int i = 0; i < AddressLength; i++)
        {
            if (i > 0) c[3 * i - 1] = ':';
            c[3 * i] = "0123456789abcdef"[mac[i] >> 4];
            c[3 * i + 1] = "0123456789abcdef"[mac[i] & 0xF];
        }
        return new string(c);
    }
}
