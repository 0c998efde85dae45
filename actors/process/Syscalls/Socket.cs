// socket(2), socketpair(2): a new AF_UNIX socket (an actor homed on the
// caller's CPU) and its fd; or two, connected, for socketpair. The type may
// carry SOCK_NONBLOCK and SOCK_CLOEXEC (other high bits: -EINVAL); SOCK_RAW
// is a datagram socket, as Linux's unix_create makes it; SOCK_RDM and others
// are -ESOCKTNOSUPPORT; a protocol other than 0 (or PF_UNIX) -EPROTONOSUPPORT.
// Families other than AF_UNIX are not implemented: -EAFNOSUPPORT, Linux's
// answer for a family it does not have (AF_INET and AF_INET6 included, until
// actors/net has them). -EMFILE when no fd is free; socketpair's -EFAULT for
// a bad array leaves no fd open.
using System;
using Kevlar.Net;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Sockets;

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
        if (family != SocketConstants.AF_UNIX) return -Errno.EAFNOSUPPORT;
        if (protocol != 0 && protocol != SocketConstants.AF_UNIX) return -Errno.EPROTONOSUPPORT;
        if (kind == SocketConstants.SOCK_RAW) return SocketConstants.SOCK_DGRAM;
        if (kind != SocketConstants.SOCK_STREAM && kind != SocketConstants.SOCK_DGRAM && kind != SocketConstants.SOCK_SEQPACKET)
            return -Errno.ESOCKTNOSUPPORT;
        return kind;
    }

    private static SocketFile Make(UserProcess p, int kind, int type)
    {
        var socket = new UnixSocket(kind, p.Host.Vfs);
        p.Host.Scheduler.Register(socket, p.Host.Scheduler.Platform.CurrentCpu);
        return new SocketFile(socket, (type & SocketConstants.SOCK_NONBLOCK) != 0 ? OpenFlags.O_NONBLOCK : 0);
    }

    public static long DoSocket(UserThread t, int family, int type, int protocol)
    {
        int kind = Check(family, type, protocol);
        if (kind < 0) return kind;
        UserProcess p = t.Process;
        SocketFile file = Make(p, kind, type);
        int fd = p.Files.Allocate(file, (type & SocketConstants.SOCK_CLOEXEC) != 0, 0, Open.FdLimit(p));
        if (fd < 0) file.Socket.Post(() => { file.Socket.Close(); return 0; });
        return fd;
    }

    public static long DoSocketpair(UserThread t, int family, int type, int protocol, ulong fdsAddress)
    {
        int kind = Check(family, type, protocol);
        if (kind < 0) return kind;
        UserProcess p = t.Process;
        SocketFile a = Make(p, kind, type), b = Make(p, kind, type);
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
