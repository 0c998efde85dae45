// Ipv4Header: the IPv4 header (RFC 791 3.1), parsed from a received packet
// and written for a sent one. Layout (20 bytes without options, big-endian):
//   0  version (4 bits) | IHL (4 bits, in 32-bit words)   1  TOS
//   2  total length     4  identification   6  flags (3 bits) | fragment offset
//   8  TTL   9  protocol   10  header checksum   12  source   16  destination
// Parse checks what ip_rcv_core checks, in its order; a packet failing any
// check is dropped and counted under the returned reason.
using System;
using System.Buffers.Binary;

namespace Kevlar.Net;

public readonly struct Ipv4Header
{
    public const int MinLength = 20;
    public const byte ProtocolIcmp = 1, ProtocolTcp = 6, ProtocolUdp = 17;
    /// <summary>net.ipv4.ip_default_ttl.</summary>
    public const byte DefaultTtl = 64;
    private const ushort MoreFragments = 0x2000, DontFragment = 0x4000, OffsetMask = 0x1FFF;

    public readonly int HeaderLength;
    public readonly int TotalLength;
    public readonly ushort Identification;
    public readonly byte Ttl, Protocol, Tos;
    public readonly ushort FlagsAndOffset;
    public readonly uint Source, Destination;

    private Ipv4Header(int headerLength, int totalLength, ushort id, byte tos, byte ttl, byte protocol, ushort flagsAndOffset, uint source, uint destination)
    {
        HeaderLength = headerLength;
        TotalLength = totalLength;
        Identification = id;
        Tos = tos;
        Ttl = ttl;
        Protocol = protocol;
        FlagsAndOffset = flagsAndOffset;
        Source = source;
        Destination = destination;
    }

    /// <summary>A fragment of a larger datagram (MF set or a non-zero offset).</summary>
    public bool IsFragment => (FlagsAndOffset & (MoreFragments | OffsetMask)) != 0;

    /// <summary>Parses and checks the header at the start of <paramref name="packet"/>.</summary>
    public static PacketDrop Parse(ReadOnlySpan<byte> packet, out Ipv4Header header)
    {
        header = default;
        if (packet.Length < MinLength) return PacketDrop.Truncated;
        int version = packet[0] >> 4, ihl = (packet[0] & 0xF) * 4;
        if (version != 4) return PacketDrop.BadVersion;
        if (ihl < MinLength || ihl > packet.Length) return PacketDrop.BadHeaderLength;
        if (InternetChecksum.Of(packet.Slice(0, ihl)) != 0) return PacketDrop.BadChecksum;
        int total = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(2));
        if (total < ihl || total > packet.Length) return PacketDrop.BadLength;
        header = new Ipv4Header(ihl, total, BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(4)), packet[1], packet[8], packet[9],
            BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(6)), BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(12)),
            BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(16)));
        return PacketDrop.None;
    }

    /// <summary>Writes a 20-byte header (DF set, as Linux sets it for a datagram that fits the
    /// path MTU) with its checksum for a packet of <paramref name="totalLength"/> bytes.</summary>
    public static void Write(Span<byte> dest, int totalLength, ushort id, byte ttl, byte protocol, uint source, uint destination)
    {
        dest[0] = 0x45;
        dest[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(dest.Slice(2), (ushort)totalLength);
        BinaryPrimitives.WriteUInt16BigEndian(dest.Slice(4), id);
        BinaryPrimitives.WriteUInt16BigEndian(dest.Slice(6), DontFragment);
        dest[8] = ttl;
        dest[9] = protocol;
        dest[10] = dest[11] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(dest.Slice(12), source);
        BinaryPrimitives.WriteUInt32BigEndian(dest.Slice(16), destination);
        BinaryPrimitives.WriteUInt16BigEndian(dest.Slice(10), InternetChecksum.Of(dest.Slice(0, MinLength)));
    }

    /// <summary>ip_fragment for a packet this host sends that is larger than <paramref name="mtu"/>:
    /// fragments of at most mtu bytes, each with the original header (DF cleared, MF on all but the
    /// last, the offset in 8-byte units) and its own checksum; the data is split on 8-byte
    /// boundaries (RFC 791).</summary>
    public static System.Collections.Generic.List<byte[]> Fragment(byte[] packet, int mtu)
    {
        int ihl = (packet[0] & 0xF) * 4;
        int total = BinaryPrimitives.ReadUInt16BigEndian(new ReadOnlySpan<byte>(packet, 2, 2));
        int chunk = (mtu - ihl) & ~7;
        var list = new System.Collections.Generic.List<byte[]>((total - ihl + chunk - 1) / chunk);
        for (int at = ihl; at < total; at += chunk)
        {
            int n = Math.Min(chunk, total - at);
            bool more = at + n < total;
            var f = new byte[ihl + n];
            new ReadOnlySpan<byte>(packet, 0, ihl).CopyTo(f);
            new ReadOnlySpan<byte>(packet, at, n).CopyTo(new Span<byte>(f, ihl, n));
            BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(f, 2, 2), (ushort)f.Length);
            BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(f, 6, 2), (ushort)((more ? MoreFragments : 0) | (at - ihl) / 8));
            f[10] = f[11] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(f, 10, 2), InternetChecksum.Of(new ReadOnlySpan<byte>(f, 0, ihl)));
            list.Add(f);
        }
        return list;
    }
}
