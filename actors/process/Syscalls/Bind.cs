// bind(2). AF_INET: UdpSocketFile.BindAsync. AF_UNIX (unix(7)): a path makes a socket node in the VFS (mode
// 0777 cut by the umask; -EADDRINUSE when the path exists, the walk's -ENOENT,
// -ENOTDIR, -EACCES otherwise); sun_path[0] == 0 names the abstract
// namespace (-EADDRINUSE when taken); an address of just sun_family
// autobinds to a five-hex-digit abstract name. A socket already bound is
// -EINVAL (autobind then does nothing: 0); a bad length or family -EINVAL;
// a bad pointer -EFAULT; -EBADF, -ENOTSOCK for the fd.
using System.Buffers.Binary;
using Kevlar.Net;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Sockets;
using Kevlar.Process.Files.Sockets.Inet;
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Text;
using Kevlar.Vfs.Paths;

namespace Kevlar.Process.Syscalls;

public static class Bind
{
    public static KernelTask<long> Invoke(UserThread t, SyscallArgs a) => Do(t, a.Fd(0), a.Pointer(1), a.Size(2));

    public static KernelTask<long> Do(UserThread t, int fd, ulong address, ulong length)
    {
        SocketFile? f = SocketArgs.Get(t, fd, out long error);
        if (f == null) return KernelTask<long>.FromResult(error);
        int r = SocketArgs.CopyIn(t, address, length, out byte[] bytes);
        if (r != 0) return KernelTask<long>.FromResult(r);
        if (f is ProtocolSocketFile protocol) return protocol.BindAsync(t, bytes);
        if (f is not UnixSocketFile s) return KernelTask<long>.FromResult(-Errno.EOPNOTSUPP);
        if (bytes.Length == UnixAddress.PathOffset && BinaryPrimitives.ReadUInt16LittleEndian(bytes) == SocketConstants.AF_UNIX)
            return Autobind(t, s.Socket);
        r = UnixAddress.Parse(bytes, out UnixAddress unix);
        if (r != 0) return KernelTask<long>.FromResult(r);
        return BindTo(t, s.Socket, unix);
    }

    private static async KernelTask<long> BindTo(UserThread t, UnixSocket socket, UnixAddress address)
    {
        long r = await socket.Run(t, () => socket.BeginBind());
        var names = socket.Names;
        UserProcess p = t.Process;
        string path = Latin1.Decode(address.Name);
        PathContext ctx = default;
        if (address.IsPath)
        {
            int c = PathLookup.Context(p, PathLookup.AT_FDCWD, path, out ctx);
            if (c != 0 && r == 0) r = c;
        }
        if (r != 0)
        {
            // unix_bind_bsd makes the node before it looks at the socket: an existing path is
            // -EADDRINUSE even for a socket already bound.
            if (r != -Errno.EINVAL || !address.IsPath) return r;
            return await names.Run(t, () => names.Namespace.Lookup(ctx, path, false, out _) == 0 ? -Errno.EADDRINUSE : -Errno.EINVAL);
        }
        if (address.IsAbstract)
        {
            r = await names.Run(t, () => names.UnixNames.BindAbstract(address, socket));
        }
        else
        {
            uint mode = 0x1FF & ~p.Umask;
            r = await names.Run(t, () => names.UnixNames.BindPath(names.Namespace, ctx, path, mode, socket));
        }
        UnixAddress? bound = r == 0 ? address : null;
        await socket.Run(t, () => socket.EndBind(bound));
        return r;
    }

    /// <summary>unix_autobind: a fresh abstract name unless the socket has one (0 either way);
    /// -ENOSPC when every autobind name is taken.</summary>
    public static async KernelTask<long> Autobind(UserThread t, UnixSocket socket)
    {
        long r = await socket.Run(t, () => socket.BeginBind());
        if (r != 0) return 0;
        var names = socket.Names;
        UnixAddress? made = null;
        await names.Run(t, () =>
        {
            made = names.UnixNames.Autobind(socket);
            return 0;
        });
        await socket.Run(t, () => socket.EndBind(made));
        return made == null ? -Errno.ENOSPC : 0;
    }
}
