// TcpHeader: the TCP header (RFC 9293 3.1), parsed from a received segment
// and written for a sent one, with the options this stack uses: MSS (kind 2,
// on SYNs) and window scale (kind 3, RFC 7323 2; on SYNs). Layout (20 bytes
// without options, big-endian): 0 source port, 2 destination port, 4 sequence
// number, 8 acknowledgment number, 12 data offset (4 bits, in 32-bit words),
// 13 flags, 14 window, 16 checksum over the pseudo-header and the segment,
// 18 urgent pointer.
using System;
using System.Buffers.Binary;

namespace Kevlar.Net;

public readonly struct TcpHeader
{
    public const int MinLength = 20;
    public const byte Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10, Urg = 0x20;
    private const byte OptionEnd = 0, OptionNop = 1, OptionMss = 2, OptionWindowScale = 3;

    public readonly ushort SourcePort, DestinationPort;
    public readonly uint Sequence, Acknowledgment;
    public readonly int HeaderLength;
    public readonly byte Flags;
    public readonly ushort Window;
    /// <summary>The MSS option's value (0: absent).</summary>
    public readonly int Mss;
    /// <summary>The window scale option's shift (-1: absent).</summary>
    public readonly int WindowScale;

    public TcpHeader(ushort sourcePort, ushort destinationPort, uint sequence, uint acknowledgment, byte flags, ushort window,
        int mss = 0, int windowScale = -1, int headerLength = MinLength)
    {
        SourcePort = sourcePort;
        DestinationPort = destinationPort;
        Sequence = sequence;
        Acknowledgment = acknowledgment;
        Flags = flags;
        Window = window;
        Mss = mss;
        WindowScale = windowScale;
        HeaderLength = headerLength;
    }

    public bool Has(byte flag) => (Flags & flag) != 0;

    /// <summary>The options' length a header with these options needs (multiple of 4).</summary>
    public static int OptionsLength(int mss, int windowScale) => (mss > 0 ? 4 : 0) + (windowScale >= 0 ? 4 : 0);

    /// <summary>Parses and checks the segment in <paramref name="segment"/> (the IPv4 payload) sent
    /// from <paramref name="source"/> to <paramref name="destination"/> (tcp_v4_rcv's checks; the checksum
    /// unless <paramref name="verifyChecksum"/> is false, for lo's packets).</summary>
    public static PacketDrop Parse(ReadOnlySpan<byte> segment, uint source, uint destination, out TcpHeader header, bool verifyChecksum = true)
    {
        header = default;
        if (segment.Length < MinLength) return PacketDrop.Truncated;
        int offset = (segment[12] >> 4) * 4;
        if (offset < MinLength || offset > segment.Length) return PacketDrop.BadHeaderLength;
        if (verifyChecksum)
        {
            ulong sum = InternetChecksum.AddPseudoHeader(0, source, destination, Ipv4Header.ProtocolTcp, segment.Length);
            if (InternetChecksum.Fold(InternetChecksum.Add(sum, segment)) != 0) return PacketDrop.BadChecksum;
        }
        int mss = 0, scale = -1;
        for (int i = MinLength; i < offset;)
        {
            byte kind = segment[i];
            if (kind == OptionEnd) break;
            if (kind == OptionNop)
            {
                i++;
                continue;
            }
            if (i + 1 >= offset) break;
            int length = segment[i + 1];
            if (length < 2 || i + length > offset) break; // a malformed option ends the parse, as tcp_parse_options does
            if (kind == OptionMss && length == 4) mss = BinaryPrimitives.ReadUInt16BigEndian(segment.Slice(i + 2));
            else if (kind == OptionWindowScale && length == 3) scale = Math.Min((int)segment[i + 2], 14);
            i += length;
        }
        header = new TcpHeader(BinaryPrimitives.ReadUInt16BigEndian(segment), BinaryPrimitives.ReadUInt16BigEndian(segment.Slice(2)),
            BinaryPrimitives.ReadUInt32BigEndian(segment.Slice(4)), BinaryPrimitives.ReadUInt32BigEndian(segment.Slice(8)),
            segment[13], BinaryPrimitives.ReadUInt16BigEndian(segment.Slice(14)), mss, scale, offset);
        return PacketDrop.None;
    }

    /// <summary>Writes this header (its options included) at the start of <paramref name="segment"/>,
    /// whose data follows it already in place, and the checksum over all of it (left 0 without
    /// <paramref name="checksum"/>: a packet for lo, which nobody verifies, as Linux leaves it).</summary>
    public void Write(Span<byte> segment, uint source, uint destination, bool checksum = true)
    {
        int options = OptionsLength(Mss, WindowScale);
        int length = MinLength + options;
        BinaryPrimitives.WriteUInt16BigEndian(segment, SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(segment.Slice(2), DestinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(segment.Slice(4), Sequence);
        BinaryPrimitives.WriteUInt32BigEndian(segment.Slice(8), Acknowledgment);
        segment[12] = (byte)(length / 4 << 4);
        segment[13] = Flags;
        BinaryPrimitives.WriteUInt16BigEndian(segment.Slice(14), Window);
        segment[16] = segment[17] = segment[18] = segment[19] = 0;
        int at = MinLength;
        if (Mss > 0)
        {
            segment[at] = OptionMss;
            segment[at + 1] = 4;
            BinaryPrimitives.WriteUInt16BigEndian(segment.Slice(at + 2), (ushort)Mss);
            at += 4;
        }
        if (WindowScale >= 0)
        {
            segment[at] = OptionNop;
            segment[at + 1] = OptionWindowScale;
            segment[at + 2] = 3;
            segment[at + 3] = (byte)WindowScale;
        }
        if (!checksum) return;
        ulong sum = InternetChecksum.AddPseudoHeader(0, source, destination, Ipv4Header.ProtocolTcp, segment.Length);
        BinaryPrimitives.WriteUInt16BigEndian(segment.Slice(16), InternetChecksum.Fold(InternetChecksum.Add(sum, segment)));
    }

    /// <summary>A whole IPv4 packet carrying this header and <paramref name="data"/>.</summary>
    public byte[] Packet(uint source, uint destination, ReadOnlySpan<byte> data, ushort id, byte ttl, bool checksum = true)
    {
        byte[] packet = NewPacket(data.Length, out Span<byte> space);
        data.CopyTo(space);
        Finish(packet, source, destination, id, ttl, checksum);
        return packet;
    }

    /// <summary>A packet with room for this header and <paramref name="dataLength"/> bytes, which the
    /// caller copies into <paramref name="data"/> before Finish.</summary>
    public byte[] NewPacket(int dataLength, out Span<byte> data)
    {
        int offset = Ipv4Header.MinLength + MinLength + OptionsLength(Mss, WindowScale);
        var packet = new byte[offset + dataLength];
        data = new Span<byte>(packet, offset, dataLength);
        return packet;
    }

    /// <summary>Writes the TCP and IPv4 headers of a packet from NewPacket, its data in place.</summary>
    public void Finish(byte[] packet, uint source, uint destination, ushort id, byte ttl, bool checksum = true)
    {
        Write(new Span<byte>(packet, Ipv4Header.MinLength, packet.Length - Ipv4Header.MinLength), source, destination, checksum);
        Ipv4Header.Write(packet, packet.Length, id, ttl, Ipv4Header.ProtocolTcp, source, destination);
    }
}
