// RouteNetlink: the kernel's side of NETLINK_ROUTE (rtnetlink(7)) — the
// answers to what ip addr, ip link and ip route ask, built from the
// InetStack's interfaces: RTM_GETLINK (a dump, or one link by index or
// name), RTM_GETADDR (lo's 127.0.0.1/8), RTM_GETROUTE (the local table's
// routes Linux makes for lo; the main table is empty while lo is the only
// interface). A dump's messages carry NLM_F_MULTI and end with NLMSG_DONE,
// all in one reply, as Linux packs a small dump into one skb. Changes
// (RTM_NEW*, RTM_DEL*) need CAP_NET_ADMIN (-EPERM) and are not implemented
// (-EOPNOTSUPP); so is any other type. A request with NLM_F_ACK that
// succeeded gets an NLMSG_ERROR of 0.
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Kevlar.Net;
using Kevlar.Process.Files.Sockets.Inet;

namespace Kevlar.Process.Files.Sockets.Netlink;

public static class RouteNetlink
{
    private const int IfinfomsgSize = 16, IfaddrmsgSize = 8, RtmsgSize = 12;

    /// <summary>The reply to <paramref name="request"/> from the socket whose port id is
    /// <paramref name="pid"/>, or null when nothing answers (no messages at all).</summary>
    public static byte[]? Answer(InetStack stack, byte[] request, uint pid, bool privileged)
    {
        List<NetlinkWire.Message> messages = NetlinkWire.Messages(request);
        if (messages.Count == 0) return null;
        var reply = new NetlinkWire.Builder();
        for (int i = 0; i < messages.Count; i++)
        {
            NetlinkWire.Message m = messages[i];
            if ((m.Flags & NetlinkWire.NLM_F_REQUEST) == 0 || m.Type < NetlinkWire.RTM_NEWLINK) continue; // control messages need no answer
            int error = Handle(stack, m, pid, privileged, reply);
            if (error != 0 || (m.Flags & NetlinkWire.NLM_F_ACK) != 0) reply.Error(m, error, pid);
        }
        return reply.Length == 0 ? null : reply.ToArray();
    }

    /// <summary>One request: 0 with its answer appended, or -errno.</summary>
    private static int Handle(InetStack stack, in NetlinkWire.Message m, uint pid, bool privileged, NetlinkWire.Builder reply)
    {
        bool dump = (m.Flags & NetlinkWire.NLM_F_DUMP) == NetlinkWire.NLM_F_DUMP;
        int family = m.Payload.Length > 0 ? m.Payload[0] : 0;
        switch (m.Type)
        {
            case NetlinkWire.RTM_GETLINK:
            {
                NetInterface[] all = stack.Interfaces;
                if (dump)
                {
                    for (int i = 0; i < all.Length; i++) Link(reply, all[i], m.Sequence, pid, NetlinkWire.NLM_F_MULTI);
                    reply.Done(m.Sequence, pid);
                    return 0;
                }
                int index = m.Payload.Length >= IfinfomsgSize ? BinaryPrimitives.ReadInt32LittleEndian(m.Payload.Slice(4)) : 0;
                for (int i = 0; i < all.Length; i++)
                    if (all[i].Index == index)
                    {
                        Link(reply, all[i], m.Sequence, pid, 0);
                        return 0;
                    }
                return -Errno.ENODEV;
            }
            case NetlinkWire.RTM_GETADDR:
                if (!dump) return -Errno.EOPNOTSUPP;
                if (family == 0 || family == SocketConstants.AF_INET)
                {
                    NetInterface[] all = stack.Interfaces;
                    for (int i = 0; i < all.Length; i++) Address(reply, all[i], m.Sequence, pid);
                }
                reply.Done(m.Sequence, pid);
                return 0;
            case NetlinkWire.RTM_GETROUTE:
                if (!dump) return -Errno.EOPNOTSUPP;
                if ((family == 0 || family == SocketConstants.AF_INET) && stack.Loopback.Up) LoopbackRoutes(reply, stack.Loopback, m.Sequence, pid);
                reply.Done(m.Sequence, pid);
                return 0;
            default:
                // RTM_NEW*, RTM_DEL* and RTM_SET* change the configuration: only for CAP_NET_ADMIN.
                bool change = (m.Type & 3) != 2;
                if (change && !privileged) return -Errno.EPERM;
                return -Errno.EOPNOTSUPP;
        }
    }

    private static void Link(NetlinkWire.Builder reply, NetInterface n, uint sequence, uint pid, ushort flags)
    {
        reply.Begin(NetlinkWire.RTM_NEWLINK, flags, sequence, pid);
        Span<byte> info = reply.Bytes(IfinfomsgSize);
        BinaryPrimitives.WriteUInt16LittleEndian(info.Slice(2), (ushort)n.HardwareType);
        BinaryPrimitives.WriteInt32LittleEndian(info.Slice(4), n.Index);
        // dev_get_flags: the carrier of an interface that runs (lo's always is) as IFF_LOWER_UP.
        uint linkFlags = (uint)n.Flags | ((n.Flags & NetInterface.IFF_RUNNING) != 0 ? NetlinkWire.IFF_LOWER_UP : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(info.Slice(8), linkFlags);
        reply.AttributeString(NetlinkWire.IFLA_IFNAME, n.Name);
        reply.AttributeU32(NetlinkWire.IFLA_TXQLEN, 1000);
        reply.AttributeU8(NetlinkWire.IFLA_OPERSTATE, 0); // IF_OPER_UNKNOWN, as lo reports
        reply.AttributeU8(NetlinkWire.IFLA_LINKMODE, 0);
        reply.AttributeU32(NetlinkWire.IFLA_MTU, (uint)n.Mtu);
        reply.AttributeString(NetlinkWire.IFLA_QDISC, "noqueue");
        reply.Attribute(NetlinkWire.IFLA_ADDRESS, n.HardwareAddress);
        reply.Attribute(NetlinkWire.IFLA_BROADCAST, n.HardwareAddress);
        reply.End();
    }

    private static void Address(NetlinkWire.Builder reply, NetInterface n, uint sequence, uint pid)
    {
        reply.Begin(NetlinkWire.RTM_NEWADDR, NetlinkWire.NLM_F_MULTI, sequence, pid);
        Span<byte> a = reply.Bytes(IfaddrmsgSize);
        a[0] = SocketConstants.AF_INET;
        a[1] = (byte)n.PrefixLength;
        a[2] = NetlinkWire.IFA_F_PERMANENT;
        a[3] = NetlinkWire.RT_SCOPE_HOST;
        BinaryPrimitives.WriteInt32LittleEndian(a.Slice(4), n.Index);
        reply.AttributeAddress(NetlinkWire.IFA_ADDRESS, n.Address);
        reply.AttributeAddress(NetlinkWire.IFA_LOCAL, n.Address);
        reply.AttributeString(NetlinkWire.IFA_LABEL, n.Name);
        // struct ifa_cacheinfo: preferred and valid lifetimes "forever" (a permanent address), the stamps 0.
        Span<byte> cache = stackalloc byte[16];
        cache.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(cache, 0xFFFFFFFF);
        BinaryPrimitives.WriteUInt32LittleEndian(cache.Slice(4), 0xFFFFFFFF);
        reply.Attribute(NetlinkWire.IFA_CACHEINFO, cache);
        reply.AttributeU32(NetlinkWire.IFA_FLAGS, NetlinkWire.IFA_F_PERMANENT);
        reply.End();
    }

    /// <summary>The local table's routes for lo (fib_add_ifaddr): the local /8, the local address,
    /// and the subnet's broadcast address.</summary>
    private static void LoopbackRoutes(NetlinkWire.Builder reply, NetInterface n, uint sequence, uint pid)
    {
        uint net = n.Address & n.Netmask;
        Route(reply, n, sequence, pid, net, (byte)n.PrefixLength, NetlinkWire.RTN_LOCAL, NetlinkWire.RT_SCOPE_HOST);
        Route(reply, n, sequence, pid, n.Address, 32, NetlinkWire.RTN_LOCAL, NetlinkWire.RT_SCOPE_HOST);
        Route(reply, n, sequence, pid, net | ~n.Netmask, 32, NetlinkWire.RTN_BROADCAST, 253); // RT_SCOPE_LINK
    }

    private static void Route(NetlinkWire.Builder reply, NetInterface n, uint sequence, uint pid, uint destination, byte length, byte type, byte scope)
    {
        reply.Begin(NetlinkWire.RTM_NEWROUTE, NetlinkWire.NLM_F_MULTI, sequence, pid);
        Span<byte> r = reply.Bytes(RtmsgSize);
        r[0] = SocketConstants.AF_INET;
        r[1] = length;
        r[4] = NetlinkWire.RT_TABLE_LOCAL;
        r[5] = NetlinkWire.RTPROT_KERNEL;
        r[6] = scope;
        r[7] = type;
        reply.AttributeU32(NetlinkWire.RTA_TABLE, NetlinkWire.RT_TABLE_LOCAL);
        reply.AttributeAddress(NetlinkWire.RTA_DST, destination);
        reply.AttributeAddress(NetlinkWire.RTA_PREFSRC, n.Address);
        reply.AttributeU32(NetlinkWire.RTA_OIF, (uint)n.Index);
        reply.End();
    }
}
