// connect(2). AF_INET: UdpSocketFile.ConnectAsync, TcpSocketFile.ConnectAsync. AF_UNIX (unix(7)):
// Stream and seqpacket (unix_stream_connect), as steps on three actors:
//   1. the client reserves the connect (-EISCONN, -EINVAL when listening,
//      -EALREADY while another runs), and autobinds under SO_PASSCRED;
//   2. the name is looked up on the VfsActor (-ENOENT for a missing path,
//      -EACCES without write permission, -ECONNREFUSED when no socket is
//      bound there, -EPROTOTYPE for another type);
//   3. the server's side is made, connected to the client, and offered to the
//      listener (-ECONNREFUSED when it does not listen; a full backlog waits,
//      or -EAGAIN under O_NONBLOCK, -EAGAIN again when SO_SNDTIMEO passes);
//   4. the client takes the server's side as its peer.
// Data the server writes between 3 and 4 is queued at the client already, and
// a server that closes between them leaves the client connected and hung up,
// as on Linux. A signal during the wait is -EINTR (restart with SA_RESTART).
// Datagram (unix_dgram_connect): the default target for send; AF_UNSPEC
// disconnects. Bad lengths and families -EINVAL, a bad pointer -EFAULT;
// -EBADF, -ENOTSOCK.
using System.Buffers.Binary;
using Kevlar.Net;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Sockets;
using Kevlar.Process.Files.Sockets.Inet;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Connect
{
    public static KernelTask<long> Invoke(UserThread t, SyscallArgs a)
    {
        SocketFile? f = SocketArgs.Get(t, a.Fd(0), out long error);
        if (f == null) return KernelTask<long>.FromResult(error);
        int r = SocketArgs.CopyIn(t, a.Pointer(1), a.Size(2), out byte[] bytes);
        if (r != 0) return KernelTask<long>.FromResult(r);
        if (f is ProtocolSocketFile protocol) return protocol.ConnectAsync(t, bytes);
        if (f is not UnixSocketFile s) return KernelTask<long>.FromResult(-Errno.EOPNOTSUPP);
        if (s.Socket.Type == SocketConstants.SOCK_DGRAM && bytes.Length >= 2 && BinaryPrimitives.ReadUInt16LittleEndian(bytes) == SocketConstants.AF_UNSPEC)
            return s.Socket.Run(t, () => s.Socket.SetDatagramPeer(null));
        r = UnixAddress.Parse(bytes, out UnixAddress address);
        if (r != 0) return KernelTask<long>.FromResult(r);
        if (s.Socket.Type == SocketConstants.SOCK_DGRAM) return ConnectDatagram(t, s, address);
        return ConnectStream(t, s, address);
    }

    private static async KernelTask<long> ConnectDatagram(UserThread t, UnixSocketFile s, UnixAddress address)
    {
        UnixSocket? target = null;
        long r = await s.Find(t, address, found => target = found);
        if (r != 0) return r;
        UnixSocket socket = s.Socket;
        return await socket.Run(t, () => socket.SetDatagramPeer(target));
    }

    private static async KernelTask<long> ConnectStream(UserThread t, UnixSocketFile s, UnixAddress address)
    {
        UnixSocket client = s.Socket;
        long r = await client.Run(t, () => client.BeginConnect());
        if (r == 1) r = await Bind.Autobind(t, client);
        if (r != 0) return r;
        UnixSocket? listener = null;
        r = await s.Find(t, address, found => listener = found);
        UnixSocket? server = null;
        var offered = new Offered();
        if (r == 0)
        {
            UserProcess p = t.Process;
            server = new UnixSocket(client.Type, p.Host.Vfs);
            p.Host.Scheduler.Register(server, listener!.Home);
            server.ConnectTo(client, SocketArgs.PeerCredentials(p));
            r = await Offer(t, s, listener, server, offered);
            if (r != 0)
            {
                UnixSocket unused = server;
                unused.Post(() =>
                {
                    unused.Abandon();
                    return 0;
                });
            }
        }
        UnixSocket? connected = r == 0 ? server : null;
        long result = r;
        return await client.Run(t, () => client.EndConnect(result, connected, offered.Listener));
    }

    private sealed class Offered
    {
        public UnixCredentials Listener = UnixCredentials.None;
    }

    /// <summary>Step 3: offers <paramref name="server"/> to the listener, waiting for room in its
    /// backlog unless the socket is non-blocking: 0 with the listener's credentials, or -errno.</summary>
    private static async KernelTask<long> Offer(UserThread t, UnixSocketFile s, UnixSocket listener, UnixSocket server, Offered offered)
    {
        bool waits = (s.StatusFlags & OpenFlags.O_NONBLOCK) == 0;
        ulong timeout = s.Socket.SendTimeout;
        ulong deadline = SocketFile.Deadline(t, timeout);
        while (true)
        {
            ThreadWaiter? waiter = waits ? new ThreadWaiter(t, PollEvents.POLLOUT) : null;
            UnixCredentials creds = UnixCredentials.None;
            long r = await listener.Run(t, () => listener.Offer(server, waiter, out creds));
            if (r != FileRequest.WouldBlock)
            {
                offered.Listener = creds;
                return r;
            }
            long woken = await SocketFile.WaitOnce(t, waiter!, deadline);
            if (woken < 0) return woken;
        }
    }
}
