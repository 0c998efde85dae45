// NetlinkSocketFile: the open file description of an AF_NETLINK socket
// (NETLINK_ROUTE). bind names the socket (port id 0: autobind to the
// process's pid, as Linux tries first); a send to the kernel (port 0) is
// answered at once (RouteNetlink) and the reply queued at the socket; a send
// to another port id is -ECONNREFUSED (user-to-user netlink is not
// implemented). A receive takes one reply (MSG_TRUNC and MSG_PEEK as for
// datagrams) from the kernel's address (port 0).
using System;
using Kevlar.Net;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files.Sockets.Netlink;

public sealed class NetlinkSocketFile : SocketFile
{
    public const int SOL_NETLINK = 270;
    /// <summary>The most one send carries (larger: -EMSGSIZE, above Linux's default sndbuf anyway).</summary>
    private const int MaxRequest = 65536;

    public readonly NetlinkSocket Socket;

    public NetlinkSocketFile(NetlinkSocket socket, int flags)
    {
        Socket = socket;
        StatusFlags = OpenFlags.O_RDWR | flags;
    }

    public override int Family => SocketConstants.AF_NETLINK;
    public override int Type => Socket.Type;
    public override ulong Inode => Socket.Inode;

    private static uint AutobindId(UserThread t) => (uint)t.Process.Pid;

    public KernelTask<long> BindAsync(UserThread t, byte[] sockaddr)
    {
        int r = NetlinkAddress.Parse(sockaddr, out NetlinkAddress a);
        if (r != 0) return KernelTask<long>.FromResult(r);
        NetlinkSocket socket = Socket;
        uint id = AutobindId(t);
        return socket.Run(t, () => socket.Bind(a.PortId, a.Groups, id));
    }

    /// <summary>connect: only the kernel (port 0) is a peer here; AF_UNSPEC disconnects.</summary>
    public KernelTask<long> ConnectAsync(UserThread t, byte[] sockaddr)
    {
        if (sockaddr.Length >= 2 && System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(sockaddr) == SocketConstants.AF_UNSPEC)
            return KernelTask<long>.FromResult(0);
        int r = NetlinkAddress.Parse(sockaddr, out NetlinkAddress a);
        if (r != 0) return KernelTask<long>.FromResult(r);
        return KernelTask<long>.FromResult(a.PortId == 0 ? 0 : -Errno.ECONNREFUSED);
    }

    public async KernelTask<long> NameAsync(UserThread t, bool peer, ulong address, ulong lengthAddress)
    {
        NetlinkSocket socket = Socket;
        SocketAddress name = NetlinkAddress.Kernel;
        if (!peer)
            await socket.Run(t, () =>
            {
                name = socket.Name;
                return 0;
            });
        return Syscalls.SocketArgs.CopyOut(t, name, address, lengthAddress);
    }

    public override KernelTask<long> WriteAsync(UserThread t, ulong buffer, ulong count)
        => SendAsync(t, IoVector.Single(buffer, count), 0, null);

    public override KernelTask<long> ReadAsync(UserThread t, ulong buffer, ulong count)
        => ReceiveAsync(t, IoVector.Single(buffer, count), 0, null);

    public override KernelTask<long> SendAsync(UserThread t, IoVector data, int flags) => SendAsync(t, data, flags, null);

    public async KernelTask<long> SendAsync(UserThread t, IoVector data, int flags, byte[]? sockaddr)
    {
        if (sockaddr != null)
        {
            int r = NetlinkAddress.Parse(sockaddr, out NetlinkAddress to);
            if (r != 0) return r;
            if (to.PortId != 0) return -Errno.ECONNREFUSED;
        }
        if (data.Total > MaxRequest) return -Errno.EMSGSIZE;
        var request = new byte[(int)data.Total];
        if (request.Length > 0 && data.Gather(t.Process.UserMemory, 0, request) != 0) return -Errno.EFAULT;
        NetlinkSocket socket = Socket;
        uint autobind = AutobindId(t);
        long pid = await socket.Run(t, () => socket.PortId(autobind));
        byte[]? reply = RouteNetlink.Answer(t.Process.Host.Inet, request, (uint)pid, t.Process.Euid == 0);
        if (reply != null) await socket.Run(t, () => socket.Deliver(reply));
        return request.Length;
    }

    public override async KernelTask<long> ReceiveAsync(UserThread t, IoVector data, int flags, Received? received)
    {
        if ((flags & SocketConstants.MSG_OOB) != 0) return -Errno.EOPNOTSUPP;
        bool peek = (flags & SocketConstants.MSG_PEEK) != 0;
        bool waits = Waits(flags);
        NetlinkSocket socket = Socket;
        ulong deadline = Deadline(t, socket.Options.ReceiveTimeout);
        var into = new byte[(int)Math.Min(data.Total, MaxRequest * 4)];
        while (true)
        {
            ThreadWaiter? waiter = waits ? new ThreadWaiter(t, PollEvents.POLLIN) : null;
            int full = 0;
            long n = await socket.Run(t, () => socket.Receive(into, peek, waiter, out full));
            if (n == FileRequest.WouldBlock)
            {
                long woken = await WaitOnce(t, waiter!, deadline);
                if (woken < 0) return woken;
                continue;
            }
            if (n < 0) return n;
            if (n > 0 && data.Scatter(t.Process.UserMemory, 0, into, (int)n) != 0) return -Errno.EFAULT;
            if (received != null)
            {
                received.Source = NetlinkAddress.Kernel;
                if (full > n) received.MessageFlags |= SocketConstants.MSG_TRUNC;
            }
            return (flags & SocketConstants.MSG_TRUNC) != 0 ? full : n;
        }
    }

    public KernelTask<long> GetOption(UserThread t, int level, int name, byte[] value)
    {
        NetlinkSocket socket = Socket;
        return socket.Run(t, () => socket.GetOption(level, name, value));
    }

    public KernelTask<long> SetOption(UserThread t, int level, int name, byte[] value)
    {
        NetlinkSocket socket = Socket;
        return socket.Run(t, () => socket.SetOption(level, name, value));
    }

    public override KernelTask<long> PollAsync(UserThread t, int events, FileWaiter? waiter)
    {
        NetlinkSocket socket = Socket;
        return socket.Run(t, () => socket.Poll(events, waiter));
    }

    public override ulong EdgeCount(int events) => Socket.Edges(events);

    protected override KernelTask<long> InboundBytes(UserThread t)
    {
        NetlinkSocket socket = Socket;
        return socket.Run(t, () => socket.InboundBytes());
    }

    protected override void OnLastClose() => Socket.Post(() =>
    {
        Socket.Close();
        return 0;
    });
}
