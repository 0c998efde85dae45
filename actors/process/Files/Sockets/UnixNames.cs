// UnixNames: where a bound AF_UNIX name leads (unix(7)) — socket inodes in
// the VFS (bind made them with S_IFSOCK) and the abstract namespace — owned
// by the VfsActor, which owns the inodes too, so bind's "create the node and
// record the socket" and connect's "walk the path, check write permission,
// find the socket" are each one step there.
//
// State (owned by the VfsActor; touched only in closures it runs):
//   _byInode     socket inode → the socket bound to it (until that socket closes;
//                unlinking the path leaves the socket unreachable, as on Linux)
//   _abstract    (type, name) → socket: Linux hashes abstract names with the
//                type, so in practice each type has its own namespace
//   _nextAuto    the next autobind name to try (five hex digits)
// Invariants: 1. a socket is in at most one map, under the address it holds.
using System.Collections.Generic;
using Kevlar.Net;
using Kevlar.Runtime.Text;
using Kevlar.Vfs;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Operations;
using Kevlar.Vfs.Paths;

namespace Kevlar.Process.Files.Sockets;

public sealed class UnixNames
{
    private readonly Dictionary<Inode, UnixSocket> _byInode = new Dictionary<Inode, UnixSocket>();
    private readonly Dictionary<string, UnixSocket> _abstract = new Dictionary<string, UnixSocket>();
    private int _nextAuto;

    private static string Key(int type, byte[] name) => type.ToString() + ":" + Latin1.Decode(name);

    /// <summary>bind to a path: makes the socket node (mode cut by the umask) and records it: 0,
    /// -EADDRINUSE when the path exists, or the path walk's and mknod's errors.</summary>
    public int BindPath(Namespace ns, in PathContext ctx, string path, uint mode, UnixSocket socket)
    {
        int r = ns.Mknod(ctx, path, FileType.S_IFSOCK | mode, 0);
        if (r == -Errno.EEXIST) return -Errno.EADDRINUSE;
        if (r != 0) return r;
        r = ns.Lookup(ctx, path, false, out Location at);
        if (r != 0) return r;
        _byInode[at.Inode] = socket;
        return 0;
    }

    /// <summary>bind to an abstract name: 0 or -EADDRINUSE.</summary>
    public int BindAbstract(UnixAddress address, UnixSocket socket)
        => _abstract.TryAdd(Key(socket.Type, address.Name), socket) ? 0 : -Errno.EADDRINUSE;

    /// <summary>autobind: a free abstract name of five hex digits for <paramref name="socket"/>.</summary>
    public UnixAddress Autobind(UnixSocket socket)
    {
        while (true)
        {
            int n = _nextAuto;
            _nextAuto = (_nextAuto + 1) & 0xFFFFF;
            string hex = n.ToString("x5");
            var name = new byte[5];
            for (int i = 0; i < 5; i++) name[i] = (byte)hex[i];
            UnixAddress address = UnixAddress.Abstract(name);
            if (BindAbstract(address, socket) == 0) return address;
        }
    }

    /// <summary>connect/sendto's lookup (unix_find_other): the socket bound to
    /// <paramref name="address"/>, or -ENOENT (and the walk's errors) for a missing path,
    /// -EACCES without write permission on the node, -ECONNREFUSED when nothing is bound there
    /// (or the node is no socket), -EPROTOTYPE when the socket there has another type.</summary>
    public int Find(Namespace ns, in PathContext ctx, UnixAddress address, int type, out UnixSocket? socket)
    {
        socket = null;
        if (address.IsAbstract)
        {
            if (!_abstract.TryGetValue(Key(type, address.Name), out socket)) return -Errno.ECONNREFUSED;
            return 0;
        }
        int r = ns.Lookup(ctx, Latin1.Decode(address.Name), true, out Location at);
        if (r != 0) return r;
        r = Permission.Check(ctx.Credentials, at.Inode, FileMode.MAY_WRITE);
        if (r != 0) return r;
        if (at.Inode.Type != FileType.S_IFSOCK || !_byInode.TryGetValue(at.Inode, out socket)) return -Errno.ECONNREFUSED;
        if (socket.Type != type)
        {
            socket = null;
            return -Errno.EPROTOTYPE;
        }
        return 0;
    }

    /// <summary>The socket closed: its name is free again (the path's node stays, as on Linux).</summary>
    public void Forget(UnixSocket socket, UnixAddress address)
    {
        if (address.IsAbstract)
        {
            string key = Key(socket.Type, address.Name);
            if (_abstract.TryGetValue(key, out UnixSocket? held) && held == socket) _abstract.Remove(key);
            return;
        }
        foreach (KeyValuePair<Inode, UnixSocket> e in _byInode)
            if (e.Value == socket) _byInode.Remove(e.Key);
    }

    /// <summary>Bound names now (for tests and /proc/net/unix).</summary>
    public int Count => _byInode.Count + _abstract.Count;
}
