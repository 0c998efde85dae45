// SocketConstants: Linux's socket numbers as user space passes them
// (include/linux/socket.h, include/linux/net.h, asm-generic/socket.h), with
// their Linux names. x86_64 values.
namespace Kevlar.Net;

public static class SocketConstants
{
    // Address families.
    public const int AF_UNSPEC = 0, AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10, AF_NETLINK = 16, AF_PACKET = 17;
    /// <summary>Families are below this (Linux's NPROTO); others are -EAFNOSUPPORT.</summary>
    public const int AF_MAX = 46;

    // Types, and the flags socket(2) takes in the type argument.
    public const int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_RAW = 3, SOCK_RDM = 4, SOCK_SEQPACKET = 5;
    public const int SOCK_TYPE_MASK = 0xf, SOCK_MAX = 11;
    public const int SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;

    // send/recv flags.
    public const int MSG_OOB = 0x1, MSG_PEEK = 0x2, MSG_DONTROUTE = 0x4, MSG_CTRUNC = 0x8, MSG_TRUNC = 0x20,
        MSG_DONTWAIT = 0x40, MSG_EOR = 0x80, MSG_WAITALL = 0x100, MSG_NOSIGNAL = 0x4000,
        MSG_CMSG_CLOEXEC = 0x40000000;

    // shutdown(2)'s how, and the sk_shutdown bits it sets.
    public const int SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;
    public const int RCV_SHUTDOWN = 1, SEND_SHUTDOWN = 2, SHUTDOWN_MASK = 3;

    // Socket options (level SOL_SOCKET).
    public const int SOL_SOCKET = 1;
    public const int SO_DEBUG = 1, SO_REUSEADDR = 2, SO_TYPE = 3, SO_ERROR = 4, SO_DONTROUTE = 5, SO_BROADCAST = 6,
        SO_SNDBUF = 7, SO_RCVBUF = 8, SO_KEEPALIVE = 9, SO_OOBINLINE = 10, SO_LINGER = 13, SO_REUSEPORT = 15,
        SO_PASSCRED = 16, SO_PEERCRED = 17, SO_RCVLOWAT = 18, SO_SNDLOWAT = 19, SO_RCVTIMEO = 20,
        SO_SNDTIMEO = 21, SO_ACCEPTCONN = 30, SO_PROTOCOL = 38, SO_DOMAIN = 39;

    // Control messages (level SOL_SOCKET).
    public const int SCM_RIGHTS = 1, SCM_CREDENTIALS = 2;
    /// <summary>The most fds one SCM_RIGHTS message may carry (Linux's SCM_MAX_FD).</summary>
    public const int SCM_MAX_FD = 253;

    /// <summary>sysctl net.core.wmem_max / rmem_max and the default buffer sizes (wmem_default).</summary>
    public const int WmemMax = 212992, RmemMax = 212992, DefaultBuffer = 212992;
    /// <summary>The least SO_SNDBUF / SO_RCVBUF may become (SOCK_MIN_SNDBUF, SOCK_MIN_RCVBUF on x86_64).</summary>
    public const int MinSndBuf = 4608, MinRcvBuf = 2304;
    /// <summary>net.core.somaxconn: listen(2)'s backlog is cut to this.</summary>
    public const int SoMaxConn = 4096;
    /// <summary>net.unix.max_dgram_qlen: a datagram receiver not connected back to the sender is
    /// full with more than this many queued.</summary>
    public const int MaxDgramQlen = 10;
}
