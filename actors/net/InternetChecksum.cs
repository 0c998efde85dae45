// InternetChecksum: the 16-bit one's complement sum of RFC 1071, which IPv4,
// ICMP, UDP and TCP headers carry. Sums add big-endian 16-bit words (an odd
// last byte padded with zero); Fold turns a running sum into the checksum
// field's value. A header whose sum over itself (checksum included) folds to
// 0 is intact.
using System;
using System.Buffers.Binary;

namespace Kevlar.Net;

public static class InternetChecksum
{
    /// <summary>Adds <paramref name="data"/> to <paramref name="sum"/> (unfolded, 32+ bits).</summary>
    public static ulong Add(ulong sum, ReadOnlySpan<byte> data)
    {
        // Eight bytes at a time as little-endian 32-bit halves: RFC 1071 2(B), the sum in the other
        // byte order is the byte-swapped sum, so fold these and swap the result.
        int i = 0;
        ulong wide = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            ulong v = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(i, 8));
            wide += (v & 0xFFFFFFFF) + (v >> 32);
        }
        while (wide >> 16 != 0) wide = (wide & 0xFFFF) + (wide >> 16);
        sum += (wide >> 8) | ((wide & 0xFF) << 8);
        for (; i + 1 < data.Length; i += 2) sum += (ulong)(data[i] << 8 | data[i + 1]);
        if (i < data.Length) sum += (ulong)(data[i] << 8);
        return sum;
    }

    /// <summary>Adds the TCP/UDP pseudo-header (RFC 768, RFC 9293 3.1): source, destination,
    /// zero, protocol and the transport length.</summary>
    public static ulong AddPseudoHeader(ulong sum, uint source, uint destination, byte protocol, int length)
        => sum + (source >> 16) + (source & 0xFFFF) + (destination >> 16) + (destination & 0xFFFF) + protocol + (ulong)length;

    /// <summary>The checksum field for <paramref name="sum"/>: the one's complement of the folded sum.</summary>
    public static ushort Fold(ulong sum)
    {
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    /// <summary>The checksum of <paramref name="data"/> alone (IPv4 header, ICMP message).</summary>
    public static ushort Of(ReadOnlySpan<byte> data) => Fold(Add(0, data));
}
