// NetlinkAddress: struct sockaddr_nl (12 bytes: sa_family_t nl_family,
// unsigned short nl_pad, __u32 nl_pid, __u32 nl_groups), a netlink socket's
// name as bind gives it and getsockname and recvfrom report it; the kernel
// is port id 0.
using System;
using System.Buffers.Binary;

namespace Kevlar.Net;

public sealed class NetlinkAddress : SocketAddress
{
    public const int Size = 12;
    /// <summary>The kernel's address: where every reply comes from.</summary>
    public static readonly NetlinkAddress Kernel = new NetlinkAddress(0, 0);

    public readonly uint PortId, Groups;

    public NetlinkAddress(uint portId, uint groups)
    {
        PortId = portId;
        Groups = groups;
    }

    public override int Length => Size;

    /// <summary>Decodes a sockaddr_nl (netlink_bind's checks): 0, or -EINVAL when short or not AF_NETLINK.</summary>
    public static int Parse(ReadOnlySpan<byte> sockaddr, out NetlinkAddress address)
    {
        address = Kernel;
        if (sockaddr.Length < Size || BinaryPrimitives.ReadUInt16LittleEndian(sockaddr) != SocketConstants.AF_NETLINK) return -Errno.EINVAL;
        address = new NetlinkAddress(BinaryPrimitives.ReadUInt32LittleEndian(sockaddr.Slice(4)), BinaryPrimitives.ReadUInt32LittleEndian(sockaddr.Slice(8)));
        return 0;
    }

    public override void Write(Span<byte> dest)
    {
        dest.Slice(0, Size).Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(dest, SocketConstants.AF_NETLINK);
        BinaryPrimitives.WriteUInt32LittleEndian(dest.Slice(4), PortId);
        BinaryPrimitives.WriteUInt32LittleEndian(dest.Slice(8), Groups);
    }
}
