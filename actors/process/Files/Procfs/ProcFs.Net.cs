// ProcFs: /proc/net/tcp, /proc/net/udp (and their empty IPv6 twins) in
// Linux's formats (tcp4_seq_show, udp4_format_sock), from the sockets the
// InetStack publishes and the state each publishes (hints, as procfs reads
// other owners' state). Addresses print as Linux prints a __be32 with %08X on
// a little-endian machine (127.0.0.1 is 0100007F), ports in hex; tm->when,
// retrnsmt and the timer fields are 0; "ref" is 1 and the pointer 0.
// /proc/sys/net/ipv4/ip_local_port_range is in ProcFs.System.cs.
using System.Text;
using System.Threading;
using Kevlar.Net;
using Kevlar.Process.Files.Sockets.Inet;
using Kevlar.Runtime.Text;

namespace Kevlar.Process.Files.Procfs;

public sealed partial class ProcFs
{
    private const string TcpHeader = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
    private const string UdpHeader = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops";

    private void NetEntries()
    {
        SetFile("/net/tcp", InetText(Ipv4Header.ProtocolTcp));
        SetFile("/net/udp", InetText(Ipv4Header.ProtocolUdp));
        SetFile("/net/dev", DevText());
        SetFile("/net/snmp", SnmpText());
        SetFile("/net/route", RouteText());
        SetFile("/net/arp", ArpText());
        SetFile("/net/tcp6", Padded(TcpHeader, 149));
        SetFile("/net/udp6", Padded("  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops", 0));
    }

    /// <summary>/proc/net/snmp (snmp_seq_show, Linux 6.1's columns): the Ip, Tcp, Udp and UdpLite
    /// groups, each a line of names and a line of values (the Icmp groups are not kept yet, so
    /// not shown). Counters of what this stack never does (forwarding, reassembly) are 0.</summary>
    private string SnmpText()
    {
        InetStack s = _host.Inet;
        TcpStatistics t = s.Tcp;
        var sb = new StringBuilder();
        sb.Append("Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams InUnknownProtos InDiscards InDelivers OutRequests OutDiscards OutNoRoutes ReasmTimeout ReasmReqds ReasmOKs ReasmFails FragOKs FragFails FragCreates\n");
        long loFragments = Volatile.Read(ref s.IpReasmFails);
        FragmentReassembly r = s.Reassembly;
        Values(sb, "Ip:", new long[] { 2, Ipv4Header.DefaultTtl, s.PacketsIn, Volatile.Read(ref s.IpInHdrErrors), Volatile.Read(ref s.IpInAddrErrors), 0,
            s.Drops(Kevlar.Net.PacketDrop.UnknownProtocol), 0, Volatile.Read(ref s.IpInDelivers), s.PacketsOut, 0, 0, 0,
            Volatile.Read(ref r.Requests) + loFragments, Volatile.Read(ref r.Completed), Volatile.Read(ref r.Failures) + loFragments,
            Volatile.Read(ref s.IpFragOks), 0, Volatile.Read(ref s.IpFragCreates) });
        sb.Append("Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors\n");
        long established = 0;
        InetSocket[] tcp = s.Sockets(Ipv4Header.ProtocolTcp);
        for (int i = 0; i < tcp.Length; i++)
        {
            int st = tcp[i].StateHint;
            if (st == (int)TcpState.Established || st == (int)TcpState.CloseWait) established++;
        }
        Values(sb, "Tcp:", new long[] { 1, 200, 120000, -1, Volatile.Read(ref t.ActiveOpens), Volatile.Read(ref t.PassiveOpens), Volatile.Read(ref t.AttemptFails),
            Volatile.Read(ref t.EstabResets), established, Volatile.Read(ref t.InSegs), Volatile.Read(ref t.OutSegs), Volatile.Read(ref t.RetransSegs),
            Volatile.Read(ref t.InErrs), Volatile.Read(ref t.OutRsts), 0 });
        const string udp = " InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors\n";
        sb.Append("Udp:").Append(udp);
        Values(sb, "Udp:", new long[] { Volatile.Read(ref s.UdpInDatagrams), Volatile.Read(ref s.UdpNoPorts), Volatile.Read(ref s.UdpInErrors),
            Volatile.Read(ref s.UdpOutDatagrams), Volatile.Read(ref s.UdpRcvbufErrors), 0, 0, 0, 0 });
        sb.Append("UdpLite:").Append(udp);
        Values(sb, "UdpLite:", new long[] { 0, 0, 0, 0, 0, 0, 0, 0, 0 });
        return sb.ToString();
    }

    private static void Values(StringBuilder sb, string group, long[] values)
    {
        sb.Append(group);
        for (int i = 0; i < values.Length; i++) sb.Append(' ').Append(NumberText.Decimal(values[i]));
        sb.Append('\n');
    }

    /// <summary>/proc/net/dev (dev_seq_show): each interface's receive and transmit counters.</summary>
    private string DevText()
    {
        var sb = new StringBuilder("Inter-|   Receive                                                |  Transmit\n");
        sb.Append(" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n");
        NetInterface[] all = _host.Inet.Interfaces;
        for (int i = 0; i < all.Length; i++)
        {
            NetInterface n = all[i];
            RightAligned(sb, n.Name, 6);
            sb.Append(':');
            // "%8llu %7llu %4llu %4llu %4llu %5llu %10llu %9llu %8llu %7llu %4llu %4llu %4llu %5llu %7llu %10llu"
            long[] values = { n.RxBytes, n.RxPackets, 0, n.RxDropped, 0, 0, 0, 0, n.TxBytes, n.TxPackets, 0, 0, 0, 0, 0, 0 };
            int[] widths = { 8, 7, 4, 4, 4, 5, 10, 9, 8, 7, 4, 4, 4, 5, 7, 10 };
            for (int v = 0; v < values.Length; v++)
            {
                if (v > 0) sb.Append(' ');
                RightAligned(sb, NumberText.Decimal(values[v]), widths[v]);
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>/proc/net/route (fib_route_seq_show): the main table — lo's routes are all in the
    /// local table — so the Ethernet interface's default route and subnet route when it is up with
    /// an address; flags RTF_UP (1) and RTF_GATEWAY (2); each line padded to 127 columns.</summary>
    private string RouteText()
    {
        var sb = new StringBuilder(Padded("Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT", 127));
        InetStack stack = _host.Inet;
        NetInterface? eth = stack.Ethernet?.Interface;
        if (eth == null || !eth.Up || eth.Address == 0) return sb.ToString();
        uint gateway = stack.Gateway;
        if (gateway != 0) sb.Append(Padded(RouteLine(eth.Name, 0, gateway, 3, 0), 127));
        sb.Append(Padded(RouteLine(eth.Name, eth.Address & eth.Netmask, 0, 1, eth.Netmask), 127));
        return sb.ToString();
    }

    private static string RouteLine(string name, uint destination, uint gateway, int flags, uint mask)
        => string.Concat(string.Concat(name, "\t", Stored(destination), "\t", Stored(gateway)),
            string.Concat("\t", UpperHex((uint)flags, 4), "\t0\t0\t0\t", Stored(mask)), "\t0\t0\t0");

    /// <summary>/proc/net/arp (arp_seq_show): one line per neighbour — address, hardware type 0x1,
    /// flags 0x2 (ATF_COM: complete), MAC, mask "*", device.</summary>
    private string ArpText()
    {
        var sb = new StringBuilder("IP address       HW type     Flags       HW address            Mask     Device\n");
        EthernetLink? eth = _host.Inet.Ethernet;
        if (eth == null) return sb.ToString();
        ArpCache.Entry[] entries = eth.Arp.Entries;
        for (int i = 0; i < entries.Length; i++)
        {
            LeftAligned(sb, InetAddress.Format(entries[i].Address), 16);
            sb.Append(" 0x1         0x2         ");
            LeftAligned(sb, EthernetHeader.Format(entries[i].Mac), 17);
            sb.Append("     *        ").Append(eth.Interface.Name).Append('\n');
        }
        return sb.ToString();
    }

    private static void LeftAligned(StringBuilder sb, string text, int width)
    {
        sb.Append(text);
        for (int i = text.Length; i < width; i++) sb.Append(' ');
    }

    // A __be32 as %08X prints it on little-endian x86: the bytes in reverse order.
    private static string Stored(uint address)
        => UpperHex((address >> 24) | ((address >> 8) & 0xFF00) | ((address << 8) & 0xFF0000) | (address << 24), 8);

    /// <summary>The header line, space-padded to <paramref name="width"/> as seq_printf("%-*s") pads it.</summary>
    private static string Padded(string header, int width)
    {
        var sb = new StringBuilder(header);
        while (sb.Length < width) sb.Append(' ');
        return sb.Append('\n').ToString();
    }

    private string InetText(int protocol)
    {
        bool tcp = protocol == Ipv4Header.ProtocolTcp;
        var sb = new StringBuilder(Padded(tcp ? TcpHeader : UdpHeader, tcp ? 149 : 127));
        InetSocket[] sockets = _host.Inet.Sockets(protocol);
        for (int i = 0; i < sockets.Length; i++)
        {
            InetSocket s = sockets[i];
            InetAddress local = s.LocalHint;
            InetAddress? remote = s.RemoteHint;
            string sl = NumberText.Decimal(i);
            for (int pad = sl.Length; pad < (tcp ? 4 : 5); pad++) sb.Append(' ');
            sb.Append(sl).Append(": ");
            Endpoint(sb, local.Address, local.Port);
            sb.Append(' ');
            Endpoint(sb, remote?.Address ?? 0, remote?.Port ?? 0);
            sb.Append(' ').Append(UpperHex((uint)s.StateHint, 2)).Append(' ');
            sb.Append(UpperHex((uint)s.SendQueueHint, 8)).Append(':').Append(UpperHex((uint)s.ReceiveQueueHint, 8));
            sb.Append(" 00:00000000 00000000 ");
            RightAligned(sb, NumberText.Decimal(s.UidHint), 5);
            sb.Append(' ');
            RightAligned(sb, "0", 8);
            sb.Append(' ').Append(NumberText.Decimal((long)s.Inode));
            sb.Append(tcp ? " 1 0000000000000000 100 0 0 10 0\n" : " 1 0000000000000000 0\n");
        }
        return sb.ToString();
    }

    private static void Endpoint(StringBuilder sb, uint address, int port)
        => sb.Append(Stored(address)).Append(':').Append(UpperHex((uint)port, 4));

    private static string UpperHex(uint value, int digits)
    {
        string lower = NumberText.Digits(value, 16, digits);
        var sb = new StringBuilder(lower.Length);
        for (int i = 0; i < lower.Length; i++)
        {
            char c = lower[i];
            sb.Append(c >= 'a' && c <= 'f' ? (char)(c - 'a' + 'A') : c);
        }
        return sb.ToString();
    }

    private static void RightAligned(StringBuilder sb, string text, int width)
    {
        for (int i = text.Length; i < width; i++) sb.Append(' ');
        sb.Append(text);
    }
}
