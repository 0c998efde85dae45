// IcmpMessage: the ICMP messages this stack sends and acts on (RFC 792):
// echo request and reply (type 8 and 0: identifier, sequence, data) and
// destination unreachable (type 3; code 3, port unreachable, is what a UDP
// datagram to a closed port brings back). Every message starts with type,
// code and a checksum over the whole message; an unreachable carries the
// offending packet's IPv4 header and its first 8 bytes of payload, which is
// how the sender finds the socket to tell.
using System;
using System.Buffers.Binary;

namespace Kevlar.Net;

public static class IcmpMessage
{
    public const int HeaderLength = 8;
    public const byte EchoReply = 0, DestinationUnreachable = 3, EchoRequest = 8;
    public const byte CodeNetUnreachable = 0, CodeHostUnreachable = 1, CodeProtocolUnreachable = 2, CodePortUnreachable = 3;

    /// <summary>Checks an ICMP message's length and checksum.</summary>
    public static PacketDrop Check(ReadOnlySpan<byte> message)
    {
        if (message.Length < HeaderLength) return PacketDrop.Truncated;
        return InternetChecksum.Of(message) == 0 ? PacketDrop.None : PacketDrop.BadChecksum;
    }

    /// <summary>A destination unreachable for the packet <paramref name="offending"/> (its header and
    /// 8 payload bytes quoted, RFC 792's minimum, which Linux's icmp_send extends; 8 suffice here).</summary>
    public static byte[] Unreachable(byte code, ReadOnlySpan<byte> offending, int offendingHeaderLength)
    {
        int quoted = Math.Min(offending.Length, offendingHeaderLength + 8);
        var message = new byte[HeaderLength + quoted];
        message[0] = DestinationUnreachable;
        message[1] = code;
        offending.Slice(0, quoted).CopyTo(new Span<byte>(message, HeaderLength, quoted));
        BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(message, 2, 2), InternetChecksum.Of(message));
        return message;
    }

    /// <summary>The errno a destination-unreachable code reports to a connected socket
    /// (icmp_err_convert): port and protocol unreachable are hard errors.</summary>
    public static int UnreachableErrno(byte code, out bool hard)
    {
        hard = code == CodeProtocolUnreachable || code == CodePortUnreachable;
        return code switch
        {
            CodeNetUnreachable => Errno.ENETUNREACH,
            CodeHostUnreachable => Errno.EHOSTUNREACH,
            CodeProtocolUnreachable => Errno.ENOPROTOOPT,
            CodePortUnreachable => Errno.ECONNREFUSED,
            _ => Errno.EHOSTUNREACH,
        };
    }

    /// <summary>The reply to an echo request: the same message with type 0 and a new checksum.</summary>
    public static byte[] EchoReplyTo(ReadOnlySpan<byte> request)
    {
        var reply = new byte[request.Length];
        request.CopyTo(reply);
        reply[0] = EchoReply;
        reply[2] = reply[3] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(reply, 2, 2), InternetChecksum.Of(reply));
        return reply;
    }
}
