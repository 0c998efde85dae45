// InetSocketFile: what the open file descriptions of AF_INET sockets
// (UdpSocketFile, TcpSocketFile) share — bind and autobind as steps on the
// socket's actor and the stack, getsockname/getpeername, and the options.
using System;
using Kevlar.Net;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files.Sockets.Inet;

public abstract class InetSocketFile : ProtocolSocketFile
{
    public readonly InetSocket Inet;

    protected InetSocketFile(InetSocket socket, int flags) : base(socket, flags) => Inet = socket;

    public override int Family => SocketConstants.AF_INET;
    public override int Type => Inet.Type;

    protected InetStack Stack => Inet.Stack;

    /// <summary>bind(2): 0, -EINVAL (short, or already bound), -EAFNOSUPPORT, -EADDRNOTAVAIL,
    /// -EACCES, -EADDRINUSE.</summary>
    public override KernelTask<long> BindAsync(UserThread t, byte[] sockaddr)
    {
        int r = InetAddress.Parse(sockaddr, out InetAddress address, out int family);
        if (r != 0) return KernelTask<long>.FromResult(r);
        // __inet_bind accepts AF_UNSPEC only for INADDR_ANY, for old programs.
        if (family != SocketConstants.AF_INET && (family != SocketConstants.AF_UNSPEC || address.Address != InetAddress.Any))
            return KernelTask<long>.FromResult(-Errno.EAFNOSUPPORT);
        return Bind(t, address, true);
    }

    /// <summary>Binds to <paramref name="address"/> (port 0: an ephemeral one); an autobind
    /// (<paramref name="byUser"/> false) of a bound socket does nothing.</summary>
    protected async KernelTask<long> Bind(UserThread t, InetAddress address, bool byUser)
    {
        InetSocket socket = Inet;
        long r = await socket.Run(t, () => socket.BeginBind());
        if (r != 0) return byUser ? r : 0;
        UserProcess p = t.Process;
        SocketOptions o = socket.Options;
        bool reuseAddress = o.Flag(SocketConstants.SO_REUSEADDR), reusePort = o.Flag(SocketConstants.SO_REUSEPORT);
        bool privileged = p.Euid == 0;
        uint uid = p.Euid;
        int protocol = socket.Protocol;
        InetStack stack = Stack;
        PortBinding<InetSocket> b = socket.Binding;
        InetAddress? bound = null;
        r = await stack.Run(t, () =>
        {
            long e = stack.Bind(protocol, b, address.Address, address.Port, privileged, reuseAddress, reusePort, uid, !byUser);
            if (e == 0) bound = new InetAddress(b.Address, b.Port);
            return e;
        });
        InetAddress? name = bound;
        await socket.Run(t, () => socket.EndBind(name, byUser));
        return r;
    }

    /// <summary>getsockname / getpeername: the name copied out, or -ENOTCONN for a missing peer.</summary>
    public override async KernelTask<long> NameAsync(UserThread t, bool peer, ulong address, ulong lengthAddress)
    {
        InetSocket socket = Inet;
        SocketAddress? name = null;
        await socket.Run(t, () =>
        {
            name = peer ? socket.PeerName : socket.Local;
            return 0;
        });
        if (name == null) return -Errno.ENOTCONN;
        return Syscalls.SocketArgs.CopyOut(t, name, address, lengthAddress);
    }
}
