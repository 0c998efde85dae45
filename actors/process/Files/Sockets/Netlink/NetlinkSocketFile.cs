// NetlinkSocketFile: the open file description of an AF_NETLINK socket
// (NETLINK_ROUTE). bind names the socket (port id 0: autobind to the
// process's pid, as Linux tries first); a send to the kernel (port 0) is
// answered at once (RouteNetlink) and the reply queued at the socket; a send
// to another port id is -ECONNREFUSED (user-to-user netlink is not
// implemented). A receive takes one reply (MSG_TRUNC and MSG_PEEK as for
// datagrams) from the kernel's address (port 0).
using System;
using Kevlar.Net;
using Kevlar.Process.Files.Sockets.Inet;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files.Sockets.Netlink;

public sealed class NetlinkSocketFile : ProtocolSocketFile
{
    public const int SOL_NETLINK = 270;
    /// <summary>The most one send carries (larger: -EMSGSIZE, above Linux's default sndbuf anyway).</summary>
    private const int MaxRequest = 65536;

    public readonly NetlinkSocket Socket;

    public NetlinkSocketFile(NetlinkSocket socket, int flags) : base(socket, flags) => Socket = socket;

    public override int Family => SocketConstants.AF_NETLINK;
    public override int Type => Socket.Type;

    private static uint AutobindId(UserThread t) => (uint)t.Process.OwnPid;

    public override KernelTask<long> BindAsync(UserThread t, byte[] sockaddr)
    {
        int r = NetlinkAddress.Parse(sockaddr, out NetlinkAddress a);
        if (r != 0) return KernelTask<long>.FromResult(r);
        NetlinkSocket socket = Socket;
        uint id = AutobindId(t);
        return socket.Run(t, () => socket.Bind(a.PortId, a.Groups, id));
    }

    /// <summary>connect: only the kernel (port 0) is a peer here; AF_UNSPEC disconnects.</summary>
    public override KernelTask<long> ConnectAsync(UserThread t, byte[] sockaddr)
    {
        if (sockaddr.Length >= 2 && System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(sockaddr) == SocketConstants.AF_UNSPEC)
            return KernelTask<long>.FromResult(0);
        int r = NetlinkAddress.Parse(sockaddr, out NetlinkAddress a);
        if (r != 0) return KernelTask<long>.FromResult(r);
        return KernelTask<long>.FromResult(a.PortId == 0 ? 0 : -Errno.ECONNREFUSED);
    }

    public override async KernelTask<long> NameAsync(UserThread t, bool peer, ulong address, ulong lengthAddress)
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

    public override async KernelTask<long> SendToAsync(UserThread t, IoVector data, int flags, byte[]? sockaddr)
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
        InetStack stack = t.Process.Host.Inet;
        bool privileged = t.Process.Euid == 0;
        byte[]? reply = null;
        var messages = NetlinkWire.Messages(request);
        // A change is made on the stack's actor, which owns the configuration; a query is answered here.
        if (RouteNetlink.ChangesConfiguration(messages))
            await stack.Run(t, () =>
            {
                reply = RouteNetlink.Answer(stack, messages, (uint)pid, privileged);
                return 0;
            });
        else reply = RouteNetlink.Answer(stack, messages, (uint)pid, privileged);
        if (reply != null) await socket.Run(t, () => socket.Deliver(reply));
        return request.Length;
    }

    public override KernelTask<long> ReceiveAsync(UserThread t, IoVector data, int flags, Received? received)
    {
        NetlinkSocket socket = Socket;
        return ReceiveDatagram(t, data, flags, received, MaxRequest * 4, socket.Options.ReceiveTimeout,
            into => socket.Receive(into));
    }
}
