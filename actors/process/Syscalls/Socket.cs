// socket(2), socketpair(2): a new socket (an actor homed on the caller's
// CPU) and its fd; or two AF_UNIX sockets, connected, for socketpair. The
// type may carry SOCK_NONBLOCK and SOCK_CLOEXEC (other high bits: -EINVAL).
// AF_UNIX (unix_create): SOCK_RAW is a datagram socket; SOCK_RDM and others
// are -ESOCKTNOSUPPORT; a protocol other than 0 (or PF_UNIX) -EPROTONOSUPPORT.
// AF_INET (inet_create): SOCK_STREAM is TCP (protocol 0 or IPPROTO_TCP),
// SOCK_DGRAM UDP (0 or IPPROTO_UDP); IPPROTO_ICMP there is a ping socket,
// which Linux's default ping_group_range ("1 0") refuses with -EACCES;
// another protocol is -EPROTONOSUPPORT. SOCK_RAW is IPPROTO_ICMP only
// (RawSocketFile, for root: -EPERM otherwise; other raw protocols
// -EPROTONOSUPPORT). AF_NETLINK:
// SOCK_RAW or SOCK_DGRAM of NETLINK_ROUTE (NetlinkSocketFile); another netlink
// protocol -EPROTONOSUPPORT. socketpair of AF_INET or AF_NETLINK is
// -EOPNOTSUPP. Other families (AF_INET6 included) are
// -EAFNOSUPPORT, Linux's answer for a family it does not have. -EMFILE when
// no fd is free; socketpair's -EFAULT for a bad array leaves no fd open.
using System;
using Kevlar.Net;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Sockets;
using Kevlar.Process.Files.Sockets.Inet;
using Kevlar.Process.Files.Sockets.Netlink;

namespace Kevlar.Process.Syscalls;

public static class SocketCreate
{
    public static long InvokeSocket(UserThread t, in SyscallArgs a) => DoSocket(t, a.Int(0), a.Int(1), a.Int(2));

    public static long InvokeSocketpair(UserThread t, in SyscallArgs a) => DoSocketpair(t, a.Int(0), a.Int(1), a.Int(2), a.Pointer(3));

    /// <summary>Checks family, type and protocol (__sock_create, unix_create): the socket type, or -errno.</summary>
    private static int Check(int family, int type, int protocol)
    {
        int kind = type & SocketConstants.SOCK_TYPE_MASK;
        if ((type & ~(SocketConstants.SOCK_TYPE_MASK | SocketConstants.SOCK_NONBLOCK | SocketConstants.SOCK_CLOEXEC)) != 0) return -Errno.EINVAL;
        if (family < 0 || family >= SocketConstants.AF_MAX) return -Errno.EAFNOSUPPORT;
        if (kind >= SocketConstants.SOCK_MAX) return -Errno.EINVAL;
        if (family == SocketConstants.AF_INET) return CheckInet(kind, protocol);
        if (family == SocketConstants.AF_NETLINK)
        {
            // netlink_create: raw or datagram; of the protocols only NETLINK_ROUTE is here.
            if (kind != SocketConstants.SOCK_RAW && kind != SocketConstants.SOCK_DGRAM) return -Errno.ESOCKTNOSUPPORT;
            return protocol == NetlinkWire.NETLINK_ROUTE ? kind : -Errno.EPROTONOSUPPORT;
        }
        if (family != SocketConstants.AF_UNIX) return -Errno.EAFNOSUPPORT;
        if (protocol != 0 && protocol != SocketConstants.AF_UNIX) return -Errno.EPROTONOSUPPORT;
        if (kind == SocketConstants.SOCK_RAW) return SocketConstants.SOCK_DGRAM;
        if (kind != SocketConstants.SOCK_STREAM && kind != SocketConstants.SOCK_DGRAM && kind != SocketConstants.SOCK_SEQPACKET)
            return -Errno.ESOCKTNOSUPPORT;
        return kind;
    }

    private static int CheckInet(int kind, int protocol)
    {
        // raw(7): ICMP only here (ping's socket); other protocols are not implemented.
        if (kind == SocketConstants.SOCK_RAW) return protocol == InetOptions.IPPROTO_ICMP ? kind : -Errno.EPROTONOSUPPORT;
        if (kind == SocketConstants.SOCK_STREAM)
            return protocol == InetOptions.IPPROTO_IP || protocol == InetOptions.IPPROTO_TCP ? kind : -Errno.EPROTONOSUPPORT;
        if (kind != SocketConstants.SOCK_DGRAM) return -Errno.ESOCKTNOSUPPORT;
        if (protocol == InetOptions.IPPROTO_IP || protocol == InetOptions.IPPROTO_UDP) return kind;
        return protocol == InetOptions.IPPROTO_ICMP ? -Errno.EACCES : -Errno.EPROTONOSUPPORT;
    }

    private static UnixSocketFile MakeUnix(UserProcess p, int kind, int type)
    {
        var socket = new UnixSocket(kind, p.Host.Vfs);
        p.Host.Scheduler.Register(socket, p.Host.Scheduler.Platform.CurrentCpu);
        return new UnixSocketFile(socket, (type & SocketConstants.SOCK_NONBLOCK) != 0 ? OpenFlags.O_NONBLOCK : 0);
    }

    private static SocketFile Make(UserProcess p, int family, int kind, int type)
    {
        if (family == SocketConstants.AF_NETLINK)
        {
            var netlink = new NetlinkSocket(kind);
            p.Host.Scheduler.Register(netlink, p.Host.Scheduler.Platform.CurrentCpu);
            return new NetlinkSocketFile(netlink, (type & SocketConstants.SOCK_NONBLOCK) != 0 ? OpenFlags.O_NONBLOCK : 0);
        }
        if (family != SocketConstants.AF_INET) return MakeUnix(p, kind, type);
        int flags = (type & SocketConstants.SOCK_NONBLOCK) != 0 ? OpenFlags.O_NONBLOCK : 0;
        int cpu = p.Host.Scheduler.Platform.CurrentCpu;
        if (kind == SocketConstants.SOCK_RAW)
        {
            var raw = new RawSocket(p.Host.Inet);
            p.Host.Scheduler.Register(raw, cpu);
            p.Host.Inet.ChangeRaw(raw, false);
            return new RawSocketFile(raw, flags);
        }
        if (kind == SocketConstants.SOCK_STREAM)
        {
            var tcp = new TcpSocket(p.Host.Inet, p.Host.Timers, p.Host.Clock);
            p.Host.Scheduler.Register(tcp, cpu);
            return new TcpSocketFile(tcp, flags);
        }
        var udp = new UdpSocket(p.Host.Inet);
        p.Host.Scheduler.Register(udp, cpu);
        return new UdpSocketFile(udp, flags);
    }

    public static long DoSocket(UserThread t, int family, int type, int protocol)
    {
        int kind = Check(family, type, protocol);
        if (kind < 0) return kind;
        // A raw socket needs CAP_NET_RAW (inet_create).
        if (family == SocketConstants.AF_INET && kind == SocketConstants.SOCK_RAW && t.Process.Euid != 0) return -Errno.EPERM;
        UserProcess p = t.Process;
        SocketFile file = Make(p, family, kind, type);
        int fd = p.Files.Allocate(file, (type & SocketConstants.SOCK_CLOEXEC) != 0, 0, Open.FdLimit(p));
        if (fd < 0)
        {
            file.Acquire();
            file.Release();
        }
        return fd;
    }

    public static long DoSocketpair(UserThread t, int family, int type, int protocol, ulong fdsAddress)
    {
        int kind = Check(family, type, protocol);
        if (kind < 0) return kind;
        if (family != SocketConstants.AF_UNIX) return -Errno.EOPNOTSUPP;
        UserProcess p = t.Process;
        UnixSocketFile a = MakeUnix(p, kind, type), b = MakeUnix(p, kind, type);
        UnixSocket.Pair(a.Socket, b.Socket, SocketArgs.PeerCredentials(p));
        bool cloexec = (type & SocketConstants.SOCK_CLOEXEC) != 0;
        int limit = Open.FdLimit(p);
        int first = p.Files.Allocate(a, cloexec, 0, limit);
        if (first < 0)
        {
            a.Acquire();
            a.Release();
            b.Acquire();
            b.Release();
            return first;
        }
        int second = p.Files.Allocate(b, cloexec, 0, limit);
        if (second < 0)
        {
            b.Acquire();
            b.Release();
            p.Files.Close(first);
            return second;
        }
        Span<byte> fds = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(fds, first);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(fds.Slice(4), second);
        if (p.UserMemory.Write(fdsAddress, fds) != 0)
        {
            p.Files.Close(first);
            p.Files.Close(second);
            return -Errno.EFAULT;
        }
        return 0;
    }
}
