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
//   _live        every socket made and not yet closed, for /proc/net/unix (a socket
//                tracks itself when made and untracks at its close; a close that
//                overtakes the tracking is seen by the track, which then skips it)
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
    private readonly HashSet<UnixSocket> _live = new HashSet<UnixSocket>();

    /// <summary>A socket was made (unless it already closed).</summary>
    public void Track(UnixSocket socket)
    {
        if (!socket.ClosedHint) _live.Add(socket);
    }

    /// <summary>A socket closed.</summary>
    public void Untrack(UnixSocket socket) => _live.Remove(socket);

    /// <summary>Open sockets now (for tests).</summary>
    public int LiveCount => _live.Count;

    /// <summary>The open sockets (VfsActor only).</summary>
    public IEnumerable<UnixSocket> Live => _live;

    /// <summary>/proc/net/unix in Linux's format (unix_seq_show): a header, then one line per socket —
    /// its kernel address (0 here, as kptr_restrict shows it), reference count, protocol 0, flags
    /// (__SO_ACCEPTCON 0x10000 when listening), type, state (SS_UNCONNECTED 1, SS_CONNECTED 3),
    /// inode, and its name: a path as is, an abstract one with '@' for each NUL.</summary>
    public string ProcText()
    {
        var sb = new System.Text.StringBuilder("Num       RefCount Protocol Flags    Type St Inode Path\n");
        foreach (UnixSocket s in _live)
        {
            int state = s.StateHint;
            sb.Append("0000000000000000: ");
            // Every value here is below 10 in each hex digit: upper or lower case print alike.
            sb.Append(NumberText.Digits(state == 2 ? 3u : 2u, 16, 8));
            sb.Append(" 00000000 ");
            sb.Append(NumberText.Digits(state == 1 ? 0x10000u : 0u, 16, 8));
            sb.Append(' ');
            sb.Append(NumberText.Digits((uint)s.Type, 16, 4));
            sb.Append(' ');
            sb.Append(NumberText.Digits(state == 2 ? 3u : 1u, 16, 2));
            sb.Append(' ');
            string inode = NumberText.Decimal((long)s.Inode);
            for (int i = inode.Length; i < 5; i++) sb.Append(' ');
            sb.Append(inode);
            UnixAddress? a = s.AddressHint;
            if (a != null && !a.IsUnnamed)
            {
                sb.Append(' ');
                if (a.IsAbstract) sb.Append('@');
                for (int i = 0; i < a.Name.Length; i++) sb.Append(a.Name[i] == 0 ? '@' : (char)a.Name[i]);
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

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

    /// <summary>autobind: a free abstract name of five hex digits for <paramref name="socket"/>, or null
    /// when all 2^20 are taken (Linux's -ENOSPC).</summary>
    public UnixAddress? Autobind(UnixSocket socket)
    {
        for (int tries = 0; tries <= 0xFFFFF; tries++)
        {
            int n = _nextAuto;
            _nextAuto = (_nextAuto + 1) & 0xFFFFF;
            string hex = n.ToString("x5");
            var name = new byte[5];
            for (int i = 0; i < 5; i++) name[i] = (byte)hex[i];
            UnixAddress address = UnixAddress.Abstract(name);
            if (BindAbstract(address, socket) == 0) return address;
        }
        return null;
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
