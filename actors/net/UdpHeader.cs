// UdpHeader: the UDP header (RFC 768): source port, destination port, length
// (header and data), checksum over the pseudo-header, header and data — 8
// bytes, big-endian. A checksum field of 0 means the sender computed none; a
// computed 0 is sent as 0xFFFF.
using System;
using System.Buffers.Binary;

namespace Kevlar.Net;

public readonly struct UdpHeader
{
    public const int Length = 8;

    public readonly ushort SourcePort, DestinationPort;
    /// <summary>The datagram's length from its header (header included).</summary>
    public readonly int DatagramLength;

    private UdpHeader(ushort source, ushort destination, int length)
    {
        SourcePort = source;
        DestinationPort = destination;
        DatagramLength = length;
    }

    /// <summary>Parses and checks the datagram in <paramref name="segment"/> (the IPv4 payload),
    /// sent from <paramref name="source"/> to <paramref name="destination"/> (__udp4_lib_rcv); the
    /// checksum too unless <paramref name="verifyChecksum"/> is false (lo's packets).</summary>
    public static PacketDrop Parse(ReadOnlySpan<byte> segment, uint source, uint destination, out UdpHeader header, bool verifyChecksum = true)
    {
        header = default;
        if (segment.Length < Length) return PacketDrop.Truncated;
        int length = BinaryPrimitives.ReadUInt16BigEndian(segment.Slice(4));
        if (length < Length || length > segment.Length) return PacketDrop.BadLength;
        if (verifyChecksum && BinaryPrimitives.ReadUInt16BigEndian(segment.Slice(6)) != 0)
        {
            ulong sum = InternetChecksum.AddPseudoHeader(0, source, destination, Ipv4Header.ProtocolUdp, length);
            if (InternetChecksum.Fold(InternetChecksum.Add(sum, segment.Slice(0, length))) != 0) return PacketDrop.BadChecksum;
        }
        header = new UdpHeader(BinaryPrimitives.ReadUInt16BigEndian(segment), BinaryPrimitives.ReadUInt16BigEndian(segment.Slice(2)), length);
        return PacketDrop.None;
    }

    /// <summary>Writes the header for the <paramref name="datagram"/> (header space first, the data
    /// after it already in place), with its checksum unless <paramref name="checksum"/> is false (0:
    /// none, RFC 768's way, for lo where nobody verifies it).</summary>
    public static void Write(Span<byte> datagram, ushort sourcePort, ushort destinationPort, uint source, uint destination, bool checksum = true)
    {
        BinaryPrimitives.WriteUInt16BigEndian(datagram, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.Slice(2), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.Slice(4), (ushort)datagram.Length);
        datagram[6] = datagram[7] = 0;
        if (!checksum) return;
        ulong sum = InternetChecksum.AddPseudoHeader(0, source, destination, Ipv4Header.ProtocolUdp, datagram.Length);
        ushort check = InternetChecksum.Fold(InternetChecksum.Add(sum, datagram));
        BinaryPrimitives.WriteUInt16BigEndian(datagram.Slice(6), check == 0 ? (ushort)0xFFFF : check);
    }
}
