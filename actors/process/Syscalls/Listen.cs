// listen(2): a bound stream or seqpacket socket starts taking connections;
// the backlog (cut to somaxconn, 4096; a negative one becomes that too) is
// how many more than itself may wait unaccepted, as Linux's
// unix_recvq_full counts. -EOPNOTSUPP for a datagram socket, -EINVAL when
// unbound or connected; -EBADF, -ENOTSOCK. Listening again changes the backlog.
using Kevlar.Process.Files.Sockets;
using Kevlar.Process.Files.Sockets.Inet;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Listen
{
    public static KernelTask<long> Invoke(UserThread t, SyscallArgs a)
    {
        SocketFile? f = SocketArgs.Get(t, a.Fd(0), out long error);
        if (f == null) return KernelTask<long>.FromResult(error);
        if (f is TcpSocketFile tcp) return tcp.ListenAsync(t, a.Int(1));
        // inet_listen: only a stream socket listens.
        if (f is not UnixSocketFile s) return KernelTask<long>.FromResult(-Errno.EOPNOTSUPP);
        UnixSocket socket = s.Socket;
        int backlog = a.Int(1);
        var creds = SocketArgs.PeerCredentials(t.Process);
        return socket.Run(t, () => socket.Listen(backlog, creds));
    }
}
