// RouteNetlink: the kernel's side of NETLINK_ROUTE (rtnetlink(7)) — the
// answers to what ip addr, ip link and ip route ask, built from the
// InetStack's interfaces: RTM_GETLINK (a dump, or one link by index or
// name), RTM_GETADDR, RTM_GETROUTE (the main table: eth0's default and
// subnet routes; the local table's routes for each address). A dump's
// messages carry NLM_F_MULTI and end with NLMSG_DONE, all in one reply, as
// Linux packs a small dump into one skb. Changes need CAP_NET_ADMIN (-EPERM)
// and run on the stack's actor (ChangesConfiguration): RTM_NEWADDR and
// RTM_DELADDR give eth0 its one address or take it (a second one is
// -EOPNOTSUPP; lo keeps 127.0.0.1/8), RTM_NEWROUTE and RTM_DELROUTE the
// default route (other routes -EOPNOTSUPP); other changes are -EOPNOTSUPP. A
// request with NLM_F_ACK that succeeded gets an NLMSG_ERROR of 0.
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Kevlar.Net;
using Kevlar.Process.Files.Sockets.Inet;

namespace Kevlar.Process.Files.Sockets.Netlink;

public static class RouteNetlink
{
    private const int IfinfomsgSize = 16, IfaddrmsgSize = 8, RtmsgSize = 12;

    /// <summary>The reply to a request's <paramref name="messages"/> (NetlinkWire.Messages) from the socket whose port id is
    /// <paramref name="pid"/>, or null when nothing answers (no messages at all).</summary>
    public static byte[]? Answer(InetStack stack, List<NetlinkWire.Message> messages, uint pid, bool privileged)
    {
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

    /// <summary>Whether the request's <paramref name="messages"/> hold a change (RTM_NEW*, RTM_DEL*, RTM_SET*):
    /// then Answer must run on the stack's actor, which owns the configuration.</summary>
    public static bool ChangesConfiguration(List<NetlinkWire.Message> messages)
    {
        for (int i = 0; i < messages.Count; i++)
            if (messages[i].Type >= NetlinkWire.RTM_NEWLINK && (messages[i].Type & 3) != 2) return true;
        return false;
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
                    for (int i = 0; i < all.Length; i++)
                        if (all[i].Address != 0) Address(reply, all[i], m.Sequence, pid);
                }
                reply.Done(m.Sequence, pid);
                return 0;
            case NetlinkWire.RTM_GETROUTE:
                if (!dump) return -Errno.EOPNOTSUPP;
                if (family == 0 || family == SocketConstants.AF_INET) Routes(stack, reply, m.Sequence, pid);
                reply.Done(m.Sequence, pid);
                return 0;
            default:
                // RTM_NEW*, RTM_DEL* and RTM_SET* change the configuration: only for CAP_NET_ADMIN.
                bool change = (m.Type & 3) != 2;
                if (change && !privileged) return -Errno.EPERM;
                if (m.Type == NetlinkWire.RTM_NEWADDR || m.Type == NetlinkWire.RTM_DELADDR) return ChangeAddress(stack, m);
                if (m.Type == NetlinkWire.RTM_NEWROUTE || m.Type == NetlinkWire.RTM_DELROUTE) return ChangeRoute(stack, m);
                return -Errno.EOPNOTSUPP;
        }
    }

    /// <summary>RTM_NEWADDR/RTM_DELADDR (inet_rtm_newaddr, inet_rtm_deladdr): struct ifaddrmsg
    /// (family, prefix length, flags, scope, index) and IFA_LOCAL (else IFA_ADDRESS). -ENODEV for
    /// no such interface, -EINVAL for a bad family or prefix; adding the address an interface has is
    /// -EEXIST, deleting one it does not have -EADDRNOTAVAIL.</summary>
    private static int ChangeAddress(InetStack stack, in NetlinkWire.Message m)
    {
        ReadOnlySpan<byte> p = m.Payload;
        if (p.Length < IfaddrmsgSize || p[0] != SocketConstants.AF_INET || p[1] > 32) return -Errno.EINVAL;
        NetInterface? n = stack.InterfaceByIndex(BinaryPrimitives.ReadInt32LittleEndian(p.Slice(4)));
        if (n == null) return -Errno.ENODEV;
        ReadOnlySpan<byte> attributes = p.Slice(IfaddrmsgSize);
        if (!NetlinkWire.FindAddress(attributes, NetlinkWire.IFA_LOCAL, out uint address)
            && !NetlinkWire.FindAddress(attributes, NetlinkWire.IFA_ADDRESS, out address))
            return -Errno.EINVAL;
        if (m.Type == NetlinkWire.RTM_DELADDR)
            return n.Address == address && address != 0 ? (int)stack.SetAddress(n, 0, 0) : -Errno.EADDRNOTAVAIL;
        if (n.Address == address) return -Errno.EEXIST;
        if (n.Address != 0) return -Errno.EOPNOTSUPP; // one address per interface here
        return (int)stack.SetAddress(n, address, p[1]);
    }

    /// <summary>RTM_NEWROUTE/RTM_DELROUTE (inet_rtm_newroute): struct rtmsg (family, dst_len, ...,
    /// table at 4) and RTA_DST, RTA_GATEWAY. Only the main table's default route (dst_len 0) is
    /// kept here: -EEXIST when one exists, -ENETUNREACH for a gateway off the subnet, -ESRCH to
    /// delete what is not there; any other route -EOPNOTSUPP.</summary>
    private static int ChangeRoute(InetStack stack, in NetlinkWire.Message m)
    {
        ReadOnlySpan<byte> p = m.Payload;
        if (p.Length < RtmsgSize || p[0] != SocketConstants.AF_INET || p[1] > 32) return -Errno.EINVAL;
        if (p[1] != 0 || (p[4] != NetlinkWire.RT_TABLE_MAIN && p[4] != 0)) return -Errno.EOPNOTSUPP;
        bool hasGateway = NetlinkWire.FindAddress(p.Slice(RtmsgSize), NetlinkWire.RTA_GATEWAY, out uint gateway);
        if (m.Type == NetlinkWire.RTM_DELROUTE) return (int)stack.DeleteDefaultRoute(hasGateway ? gateway : 0);
        if (!hasGateway || gateway == 0) return -Errno.EOPNOTSUPP;
        return (int)stack.AddDefaultRoute(gateway);
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
        // IF_OPER_UNKNOWN as lo reports; a device is IF_OPER_UP (6) while it runs, else IF_OPER_DOWN (2).
        reply.AttributeU8(NetlinkWire.IFLA_OPERSTATE, (byte)(n.IsLoopback ? 0 : (n.Flags & NetInterface.IFF_RUNNING) != 0 ? 6 : 2));
        reply.AttributeU8(NetlinkWire.IFLA_LINKMODE, 0);
        reply.AttributeU32(NetlinkWire.IFLA_MTU, (uint)n.Mtu);
        reply.AttributeString(NetlinkWire.IFLA_QDISC, n.IsLoopback ? "noqueue" : "pfifo_fast");
        reply.Attribute(NetlinkWire.IFLA_ADDRESS, n.HardwareAddress);
        reply.Attribute(NetlinkWire.IFLA_BROADCAST, n.IsLoopback ? n.HardwareAddress : EthernetHeader.Broadcast);
        reply.End();
    }

    private static void Address(NetlinkWire.Builder reply, NetInterface n, uint sequence, uint pid)
    {
        reply.Begin(NetlinkWire.RTM_NEWADDR, NetlinkWire.NLM_F_MULTI, sequence, pid);
        Span<byte> a = reply.Bytes(IfaddrmsgSize);
        a[0] = SocketConstants.AF_INET;
        a[1] = (byte)n.PrefixLength;
        a[2] = NetlinkWire.IFA_F_PERMANENT;
        a[3] = n.IsLoopback ? NetlinkWire.RT_SCOPE_HOST : NetlinkWire.RT_SCOPE_UNIVERSE;
        BinaryPrimitives.WriteInt32LittleEndian(a.Slice(4), n.Index);
        reply.AttributeAddress(NetlinkWire.IFA_ADDRESS, n.Address);
        reply.AttributeAddress(NetlinkWire.IFA_LOCAL, n.Address);
        if (n.BroadcastAddress != 0) reply.AttributeAddress(NetlinkWire.IFA_BROADCAST, n.BroadcastAddress);
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

    /// <summary>Every route, in the order Linux dumps them (main table, then local): the default
    /// route and the subnet's for the Ethernet interface when it is up with an address, then each
    /// up interface's local routes (fib_add_ifaddr): its subnet (lo: the whole /8 is local), its
    /// address, its subnet's broadcast address.</summary>
    private static void Routes(InetStack stack, NetlinkWire.Builder reply, uint sequence, uint pid)
    {
        NetInterface? eth = stack.Ethernet?.Interface;
        bool ethUp = eth != null && eth.Up && eth.Address != 0;
        if (ethUp)
        {
            uint net = eth!.Address & eth.Netmask;
            if (stack.Gateway != 0)
                Route(reply, eth, sequence, pid, NetlinkWire.RT_TABLE_MAIN, NetlinkWire.RTPROT_BOOT, NetlinkWire.RT_SCOPE_UNIVERSE, NetlinkWire.RTN_UNICAST, 0, 0, stack.Gateway, 0);
            Route(reply, eth, sequence, pid, NetlinkWire.RT_TABLE_MAIN, NetlinkWire.RTPROT_KERNEL, NetlinkWire.RT_SCOPE_LINK, NetlinkWire.RTN_UNICAST, net, (byte)eth.PrefixLength, 0, eth.Address);
        }
        if (stack.Loopback.Up) LocalRoutes(reply, stack.Loopback, sequence, pid);
        if (ethUp) LocalRoutes(reply, eth!, sequence, pid);
    }

    private static void LocalRoutes(NetlinkWire.Builder reply, NetInterface n, uint sequence, uint pid)
    {
        uint net = n.Address & n.Netmask;
        const byte local = NetlinkWire.RT_TABLE_LOCAL, kernel = NetlinkWire.RTPROT_KERNEL;
        if (n.IsLoopback) Route(reply, n, sequence, pid, local, kernel, NetlinkWire.RT_SCOPE_HOST, NetlinkWire.RTN_LOCAL, net, (byte)n.PrefixLength, 0, n.Address);
        Route(reply, n, sequence, pid, local, kernel, NetlinkWire.RT_SCOPE_HOST, NetlinkWire.RTN_LOCAL, n.Address, 32, 0, n.Address);
        Route(reply, n, sequence, pid, local, kernel, NetlinkWire.RT_SCOPE_LINK, NetlinkWire.RTN_BROADCAST, net | ~n.Netmask, 32, 0, n.Address);
    }

    private static void Route(NetlinkWire.Builder reply, NetInterface n, uint sequence, uint pid, byte table, byte protocol, byte scope, byte type,
        uint destination, byte length, uint gateway, uint source)
    {
        reply.Begin(NetlinkWire.RTM_NEWROUTE, NetlinkWire.NLM_F_MULTI, sequence, pid);
        Span<byte> r = reply.Bytes(RtmsgSize);
        r[0] = SocketConstants.AF_INET;
        r[1] = length;
        r[4] = table;
        r[5] = protocol;
        r[6] = scope;
        r[7] = type;
        reply.AttributeU32(NetlinkWire.RTA_TABLE, table);
        if (length > 0) reply.AttributeAddress(NetlinkWire.RTA_DST, destination);
        if (source != 0) reply.AttributeAddress(NetlinkWire.RTA_PREFSRC, source);
        if (gateway != 0) reply.AttributeAddress(NetlinkWire.RTA_GATEWAY, gateway);
        reply.AttributeU32(NetlinkWire.RTA_OIF, (uint)n.Index);
        reply.End();
    }
}
