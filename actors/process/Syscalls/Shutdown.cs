// shutdown(2). AF_INET: UdpSocket.Shutdown, TcpSocket.Shutdown. AF_UNIX (unix_shutdown): SHUT_RD, SHUT_WR or SHUT_RDWR on
// this side, mirrored on a stream or seqpacket peer (our SHUT_WR is its end
// of input, our SHUT_RD its EPIPE), each side's waiters woken. Like Linux, an
// unconnected socket takes it too (0). -EINVAL for another how; -EBADF, -ENOTSOCK.
using Kevlar.Net;
using Kevlar.Process.Files.Sockets;
using Kevlar.Process.Files.Sockets.Inet;
using Kevlar.Process.Files.Sockets.Netlink;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Shutdown
{
    public static KernelTask<long> Invoke(UserThread t, SyscallArgs a)
    {
        SocketFile? f = SocketArgs.Get(t, a.Fd(0), out long error);
        if (f == null) return KernelTask<long>.FromResult(error);
        int how = a.Int(1);
        if (how < SocketConstants.SHUT_RD || how > SocketConstants.SHUT_RDWR) return KernelTask<long>.FromResult(-Errno.EINVAL);
        if (f is UdpSocketFile udp) return udp.ShutdownAsync(t, how + 1);
        if (f is TcpSocketFile tcp) return tcp.ShutdownAsync(t, how + 1);
        if (f is NetlinkSocketFile) return KernelTask<long>.FromResult(-Errno.EOPNOTSUPP); // sock_no_shutdown
        if (f is not UnixSocketFile unix) return KernelTask<long>.FromResult(-Errno.EOPNOTSUPP); // raw sockets: not implemented
        return Do(t, unix.Socket, how + 1);
    }

    private static async KernelTask<long> Do(UserThread t, UnixSocket socket, int mode)
    {
        UnixSocket? peer = null;
        await socket.Run(t, () =>
        {
            peer = socket.Shutdown(mode);
            return 0;
        });
        if (peer == null) return 0;
        UnixSocket other = peer;
        await other.Run(t, () => other.PeerShutdown(mode));
        return 0;
    }
}
