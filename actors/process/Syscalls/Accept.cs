// accept(2), accept4(2) for AF_UNIX and TCP (TcpSocketFile.AcceptAsync): the oldest connection a listening
// socket holds, as a new fd (accept4 takes SOCK_NONBLOCK and SOCK_CLOEXEC;
// other flags -EINVAL), waiting for one unless the listener is non-blocking
// (-EAGAIN; also when SO_RCVTIMEO passes). The peer's address (its bound name,
// or just sun_family) is written as getpeername gives it. -EOPNOTSUPP for a
// datagram socket, -EINVAL when not listening, -EMFILE when no fd is free (the
// connection is then dropped and its client sees the end), -EFAULT for bad
// address pointers (the new fd is closed), -EBADF, -ENOTSOCK. A signal during
// the wait is -EINTR (or a restart with SA_RESTART).
using Kevlar.Net;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Sockets;
using Kevlar.Process.Files.Sockets.Inet;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Accept
{
    public static KernelTask<long> InvokeAccept(UserThread t, SyscallArgs a) => Do(t, a.Fd(0), a.Pointer(1), a.Pointer(2), 0);

    public static KernelTask<long> InvokeAccept4(UserThread t, SyscallArgs a) => Do(t, a.Fd(0), a.Pointer(1), a.Pointer(2), a.Int(3));

    public static KernelTask<long> Do(UserThread t, int fd, ulong address, ulong lengthAddress, int flags)
    {
        if ((flags & ~(SocketConstants.SOCK_NONBLOCK | SocketConstants.SOCK_CLOEXEC)) != 0) return KernelTask<long>.FromResult(-Errno.EINVAL);
        SocketFile? f = SocketArgs.Get(t, fd, out long error);
        if (f == null) return KernelTask<long>.FromResult(error);
        if (f is TcpSocketFile tcp) return AcceptTcp(t, tcp, address, lengthAddress, flags);
        // A datagram socket accepts nothing (sock_no_accept).
        if (f is not UnixSocketFile s) return KernelTask<long>.FromResult(-Errno.EOPNOTSUPP);
        return Wait(t, s, address, lengthAddress, flags);
    }

    private static async KernelTask<long> Wait(UserThread t, UnixSocketFile s, ulong address, ulong lengthAddress, int flags)
    {
        UnixSocket listener = s.Socket;
        bool waits = (s.StatusFlags & OpenFlags.O_NONBLOCK) == 0;
        ulong timeout = listener.ReceiveTimeout;
        ulong deadline = SocketFile.Deadline(t, timeout);
        UnixSocket? accepted = null;
        while (true)
        {
            ThreadWaiter? waiter = waits ? new ThreadWaiter(t, PollEvents.POLLIN) : null;
            long r = await listener.Run(t, () => listener.Accept(waiter, out accepted));
            if (r == 0) break;
            if (r != FileRequest.WouldBlock) return r;
            long woken = await SocketFile.WaitOnce(t, waiter!, deadline);
            if (woken < 0) return woken;
        }
        UnixSocket socket = accepted!;
        UnixAddress? peerName = null;
        if (address != 0)
        {
            // The client's name as it is now (getpeername's answer).
            UnixSocket client = socket.Peer!;
            await client.Run(t, () =>
            {
                peerName = client.Address ?? UnixAddress.Unnamed;
                return 0;
            });
        }
        var file = new UnixSocketFile(socket, (flags & SocketConstants.SOCK_NONBLOCK) != 0 ? OpenFlags.O_NONBLOCK : 0);
        int newFd = Allocate(t, file, flags);
        if (newFd < 0 || address == 0) return newFd;
        int e = SocketArgs.CopyOut(t, peerName, address, lengthAddress);
        if (e != 0) t.Process.Files.Close(newFd);
        return e != 0 ? e : newFd;
    }

    private static async KernelTask<long> AcceptTcp(UserThread t, TcpSocketFile listener, ulong address, ulong lengthAddress, int flags)
    {
        TcpSocketFile? file = null;
        long r = await listener.AcceptAsync(t, flags, made => file = made);
        if (r != 0) return r;
        int newFd = Allocate(t, file!, flags);
        if (newFd < 0 || address == 0) return newFd;
        long e = await file!.NameAsync(t, true, address, lengthAddress);
        if (e != 0) t.Process.Files.Close(newFd);
        return e != 0 ? e : newFd;
    }

    /// <summary>A new fd for the accepted <paramref name="file"/> (SOCK_CLOEXEC from the flags); when
    /// none is free the connection is dropped: -EMFILE.</summary>
    private static int Allocate(UserThread t, OpenFile file, int flags)
    {
        UserProcess p = t.Process;
        int newFd = p.Files.Allocate(file, (flags & SocketConstants.SOCK_CLOEXEC) != 0, 0, Open.FdLimit(p));
        if (newFd < 0)
        {
            file.Acquire();
            file.Release();
        }
        return newFd;
    }
}
