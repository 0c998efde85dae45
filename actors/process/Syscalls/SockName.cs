// getsockname(2), getpeername(2). AF_INET (inet_getname): a sockaddr_in of
// the bound address and port, or the peer's. AF_UNIX (unix_getname): the socket's
// own name, or its peer's, as a sockaddr_un of the length Linux reports
// (UnixAddress: 2 for unnamed, 2 + strlen + 1 for a path, the bound length for
// an abstract name), cut to *addrlen with the full length written back.
// getpeername without a peer is -ENOTCONN. -EFAULT, -EINVAL for a negative
// *addrlen, -EBADF, -ENOTSOCK.
using Kevlar.Net;
using Kevlar.Process.Files.Sockets;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class SockName
{
    public static KernelTask<long> InvokeGetsockname(UserThread t, SyscallArgs a) => Do(t, a.Fd(0), a.Pointer(1), a.Pointer(2), false);

    public static KernelTask<long> InvokeGetpeername(UserThread t, SyscallArgs a) => Do(t, a.Fd(0), a.Pointer(1), a.Pointer(2), true);

    private static KernelTask<long> Do(UserThread t, int fd, ulong address, ulong lengthAddress, bool peer)
    {
        SocketFile? f = SocketArgs.Get(t, fd, out long error);
        if (f == null) return KernelTask<long>.FromResult(error);
        if (f is ProtocolSocketFile protocol) return protocol.NameAsync(t, peer, address, lengthAddress);
        if (f is not UnixSocketFile unix) return KernelTask<long>.FromResult(-Errno.EOPNOTSUPP);
        return Name(t, unix.Socket, address, lengthAddress, peer);
    }

    private static async KernelTask<long> Name(UserThread t, UnixSocket socket, ulong address, ulong lengthAddress, bool peer)
    {
        UnixAddress? name = null;
        UnixSocket? other = null;
        await socket.Run(t, () =>
        {
            name = socket.Address;
            other = socket.Peer;
            return 0;
        });
        if (peer)
        {
            if (other == null) return -Errno.ENOTCONN;
            UnixSocket p = other;
            await p.Run(t, () =>
            {
                name = p.Address;
                return 0;
            });
        }
        return SocketArgs.CopyOut(t, name ?? UnixAddress.Unnamed, address, lengthAddress);
    }
}
