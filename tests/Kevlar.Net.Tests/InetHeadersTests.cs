// InetHeadersTests: the Internet checksum, IPv4, UDP and ICMP headers written
// and parsed back, and the damage each parser must catch (a short packet, a
// wrong version or length, a flipped bit) — a malformed packet is a counted
// drop, never an exception.
using System.Buffers.Binary;
using Kevlar.Net;
using Xunit;

namespace Kevlar.Net.Tests;

public class InetHeadersTests
{
    private const uint A = 0x7F000001, B = 0x7F000002;

    [Fact]
    public void Checksum_Rfc1071Example()
    {
        // RFC 1071 1.4: the words 0001 f203 f4f5 f6f7 sum to ddf2; the field is its complement.
        byte[] data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        Assert.Equal(0x220d, InternetChecksum.Of(data));
    }

    [Fact]
    public void Checksum_EightBytesAtATime_MatchesTheWordSum()
    {
        var rng = new Random(7);
        for (int length = 0; length < 300; length++)
        {
            var data = new byte[length];
            rng.NextBytes(data);
            ulong sum = 0;
            for (int i = 0; i + 1 < length; i += 2) sum += (ulong)(data[i] << 8 | data[i + 1]);
            if (length % 2 == 1) sum += (ulong)(data[length - 1] << 8);
            Assert.Equal(InternetChecksum.Fold(sum), InternetChecksum.Of(data));
        }
        var ones = new byte[65536];
        Array.Fill(ones, (byte)0xFF);
        Assert.Equal(InternetChecksum.Fold(32768UL * 0xFFFF), InternetChecksum.Of(ones));
    }

    [Fact]
    public void Checksum_OddLength_PadsWithZero()
        => Assert.Equal(InternetChecksum.Of([0x12, 0x34, 0x56, 0x00]), InternetChecksum.Of([0x12, 0x34, 0x56]));

    private static byte[] UdpPacket(byte[] payload, ushort from = 40000, ushort to = 53)
    {
        var p = new byte[Ipv4Header.MinLength + UdpHeader.Length + payload.Length];
        payload.CopyTo(p, Ipv4Header.MinLength + UdpHeader.Length);
        UdpHeader.Write(p.AsSpan(Ipv4Header.MinLength), from, to, A, B);
        Ipv4Header.Write(p, p.Length, 7, 64, Ipv4Header.ProtocolUdp, A, B);
        return p;
    }

    [Fact]
    public void Ipv4_WrittenThenParsed_GivesTheFieldsBack()
    {
        byte[] p = UdpPacket([1, 2, 3]);
        Assert.Equal(PacketDrop.None, Ipv4Header.Parse(p, out Ipv4Header h));
        Assert.Equal(20, h.HeaderLength);
        Assert.Equal(p.Length, h.TotalLength);
        Assert.Equal(Ipv4Header.ProtocolUdp, h.Protocol);
        Assert.Equal(64, h.Ttl);
        Assert.Equal(A, h.Source);
        Assert.Equal(B, h.Destination);
        Assert.False(h.IsFragment); // DF alone is not a fragment
        Assert.Equal(0, InternetChecksum.Of(p.AsSpan(0, 20)));
    }

    [Theory]
    [InlineData(0, 0x55, PacketDrop.BadVersion)]      // version 5
    [InlineData(0, 0x44, PacketDrop.BadHeaderLength)] // IHL 4 words
    [InlineData(0, 0x4F, PacketDrop.BadHeaderLength)] // IHL 60 bytes, more than the packet
    [InlineData(8, 0x00, PacketDrop.BadChecksum)]     // TTL changed, checksum not
    public void Ipv4_Damaged_IsDroppedWithItsReason(int offset, byte value, PacketDrop expected)
    {
        byte[] p = UdpPacket([1, 2, 3]);
        p[offset] = value;
        Assert.Equal(expected, Ipv4Header.Parse(p, out _));
    }

    [Fact]
    public void Ipv4_TotalLengthBeyondThePacket_IsBadLength()
    {
        byte[] p = UdpPacket([1, 2, 3]);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), (ushort)(p.Length + 1));
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(10), 0);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(10), InternetChecksum.Of(p.AsSpan(0, 20)));
        Assert.Equal(PacketDrop.BadLength, Ipv4Header.Parse(p, out _));
    }

    [Fact]
    public void Ipv4_Short_IsTruncated()
    {
        for (int n = 0; n < 20; n++) Assert.Equal(PacketDrop.Truncated, Ipv4Header.Parse(new byte[n], out _));
    }

    [Fact]
    public void Udp_WrittenThenParsed_ChecksOut()
    {
        byte[] p = UdpPacket([9, 8, 7, 6, 5], 1234, 5678);
        Assert.Equal(PacketDrop.None, UdpHeader.Parse(p.AsSpan(20), A, B, out UdpHeader u));
        Assert.Equal(1234, u.SourcePort);
        Assert.Equal(5678, u.DestinationPort);
        Assert.Equal(13, u.DatagramLength);
    }

    [Fact]
    public void Udp_AFlippedPayloadBit_OrAnotherAddress_FailsTheChecksum()
    {
        byte[] p = UdpPacket([9, 8, 7]);
        Assert.Equal(PacketDrop.BadChecksum, UdpHeader.Parse(p.AsSpan(20), A, A, out _)); // pseudo-header differs
        p[^1] ^= 1;
        Assert.Equal(PacketDrop.BadChecksum, UdpHeader.Parse(p.AsSpan(20), A, B, out _));
    }

    [Fact]
    public void Udp_ZeroChecksum_MeansNone()
    {
        byte[] p = UdpPacket([9, 8, 7]);
        p[26] = p[27] = 0;
        p[^1] ^= 1;
        Assert.Equal(PacketDrop.None, UdpHeader.Parse(p.AsSpan(20), A, B, out _));
    }

    [Theory]
    [InlineData(7)]   // shorter than the header
    [InlineData(100)] // longer than the segment
    public void Udp_BadLength_IsDropped(int length)
    {
        byte[] p = UdpPacket([1, 2, 3, 4]);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(24), (ushort)length);
        Assert.Equal(PacketDrop.BadLength, UdpHeader.Parse(p.AsSpan(20), A, B, out _));
        Assert.Equal(PacketDrop.Truncated, UdpHeader.Parse(p.AsSpan(20, 7), A, B, out _));
    }

    [Fact]
    public void IcmpUnreachable_QuotesTheHeaderAndEightBytes_AndChecksOut()
    {
        byte[] p = UdpPacket(new byte[100]);
        byte[] m = IcmpMessage.Unreachable(IcmpMessage.CodePortUnreachable, p, 20);
        Assert.Equal(8 + 28, m.Length);
        Assert.Equal(PacketDrop.None, IcmpMessage.Check(m));
        Assert.Equal(p.AsSpan(0, 28).ToArray(), m.AsSpan(8).ToArray());
        Assert.Equal(Errno.ECONNREFUSED, IcmpMessage.UnreachableErrno(IcmpMessage.CodePortUnreachable, out bool hard));
        Assert.True(hard);
        m[10] ^= 0xFF;
        Assert.Equal(PacketDrop.BadChecksum, IcmpMessage.Check(m));
    }

    [Fact]
    public void EchoReply_IsTheRequestWithTypeZero()
    {
        byte[] request = [IcmpMessage.EchoRequest, 0, 0, 0, 0x12, 0x34, 0, 1, (byte)'h', (byte)'i'];
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(2), InternetChecksum.Of(request));
        byte[] reply = IcmpMessage.EchoReplyTo(request);
        Assert.Equal(IcmpMessage.EchoReply, reply[0]);
        Assert.Equal(request.AsSpan(4).ToArray(), reply.AsSpan(4).ToArray());
        Assert.Equal(PacketDrop.None, IcmpMessage.Check(reply));
    }

    [Fact]
    public void SockaddrIn_ParsedAndWritten_InNetworkOrder()
    {
        byte[] sa = [2, 0, 0x1F, 0x90, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal(0, InetAddress.Parse(sa, out InetAddress a, out int family));
        Assert.Equal(SocketConstants.AF_INET, family);
        Assert.Equal(8080, a.Port);
        Assert.Equal(InetAddress.Loopback, a.Address);
        Assert.Equal("127.0.0.1", InetAddress.Format(a.Address));
        var back = new byte[16];
        back.AsSpan().Fill(0xAB);
        a.Write(back);
        Assert.Equal(sa, back);
        Assert.Equal(-Errno.EINVAL, InetAddress.Parse(sa.AsSpan(0, 15), out _, out _));
    }
}
