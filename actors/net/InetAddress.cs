// InetAddress: an IPv4 address and port — struct sockaddr_in (16 bytes:
// sa_family_t sin_family in host order, __be16 sin_port, struct in_addr
// sin_addr in network order, 8 bytes of padding) as the socket calls copy it
// in and out. Address and Port are kept in host order.
using System;
using System.Buffers.Binary;

namespace Kevlar.Net;

public sealed class InetAddress : SocketAddress
{
    /// <summary>sizeof(struct sockaddr_in).</summary>
    public const int Size = 16;
    /// <summary>INADDR_ANY, INADDR_LOOPBACK, INADDR_BROADCAST.</summary>
    public const uint Any = 0, Loopback = 0x7F000001, Broadcast = 0xFFFFFFFF;

    /// <summary>0.0.0.0 port 0: an unbound socket's name.</summary>
    public static readonly InetAddress Unbound = new InetAddress(Any, 0);

    public readonly uint Address;
    public readonly ushort Port;

    public InetAddress(uint address, ushort port)
    {
        Address = address;
        Port = port;
    }

    public override int Length => Size;

    /// <summary>127.0.0.0/8: an address of the loopback interface.</summary>
    public static bool IsLoopback(uint address) => address >> 24 == 127;

    /// <summary>224.0.0.0/4.</summary>
    public static bool IsMulticast(uint address) => address >> 28 == 0xE;

    /// <summary>Decodes a sockaddr_in: 0 with the address and the sin_family as given (the caller
    /// applies its call's family rule), or -EINVAL when shorter than sockaddr_in.</summary>
    public static int Parse(ReadOnlySpan<byte> sockaddr, out InetAddress address, out int family)
    {
        address = Unbound;
        family = sockaddr.Length >= 2 ? BinaryPrimitives.ReadUInt16LittleEndian(sockaddr) : -1;
        if (sockaddr.Length < Size) return -Errno.EINVAL;
        address = new InetAddress(BinaryPrimitives.ReadUInt32BigEndian(sockaddr.Slice(4)), BinaryPrimitives.ReadUInt16BigEndian(sockaddr.Slice(2)));
        return 0;
    }

    /// <summary>A send's destination (udp_sendmsg, raw_sendmsg): 0 with it, -EINVAL when short,
    /// -EAFNOSUPPORT for a family other than AF_INET or AF_UNSPEC (taken as AF_INET).</summary>
    public static int ParseDestination(ReadOnlySpan<byte> sockaddr, out InetAddress address)
    {
        int r = Parse(sockaddr, out address, out int family);
        if (r != 0) return r;
        return family != SocketConstants.AF_INET && family != SocketConstants.AF_UNSPEC ? -Errno.EAFNOSUPPORT : 0;
    }

    public override void Write(Span<byte> dest)
    {
        dest.Slice(0, Size).Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(dest, SocketConstants.AF_INET);
        BinaryPrimitives.WriteUInt16BigEndian(dest.Slice(2), Port);
        BinaryPrimitives.WriteUInt32BigEndian(dest.Slice(4), Address);
    }

    public bool SameAs(InetAddress other) => Address == other.Address && Port == other.Port;

    /// <summary>Dotted quad, as /proc and messages print it.</summary>
    public static string Format(uint address)
        => (address >> 24).ToString() + "." + ((address >> 16) & 0xFF).ToString() + "." + ((address >> 8) & 0xFF).ToString() + "." + (address & 0xFF).ToString();
}
