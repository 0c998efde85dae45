// PortTable: the ports of one transport protocol (UDP or TCP) — binds with
// Linux's conflict rules, ephemeral ports from ip_local_port_range, and the
// lookup that picks the socket a received segment belongs to.
//
// Conflicts (udp_lib_lport_inuse, inet_csk_bind_conflict): two bindings of
// one port clash when their addresses overlap (equal, or either is
// INADDR_ANY), unless both set SO_REUSEADDR and the one bound is not a TCP
// listener, or both set SO_REUSEPORT with the same uid. Two overlapping TCP
// listeners clash (MayListen) unless both share by SO_REUSEPORT.
// Lookup (compute_score): a binding to a specific address must match the
// destination; a connected one must match the source address and port; the
// most specific match wins. Among equal SO_REUSEPORT matches, a hash of the
// source picks one, so one peer keeps reaching the same socket.
//
// State: owned by the stack's actor — ports map to their bindings, which only
// it changes. Lookups run anywhere (the CPU that sent or received a packet):
// they read a published view, one immutable array of PortView per port in a
// two-level table of Volatile slots, which the owner replaces whenever a
// port's bindings change (Republish). A lookup sees the bindings as of some
// recent change, never a half-made one.
using System.Collections.Generic;
using System.Threading;

namespace Kevlar.Net;

public sealed class PortTable<T> where T : class
{
    /// <summary>/proc/sys/net/ipv4/ip_local_port_range's defaults.</summary>
    public const int EphemeralLow = 32768, EphemeralHigh = 60999;
    /// <summary>ip_unprivileged_port_start: below it only a privileged caller binds.</summary>
    public const int UnprivilegedPortStart = 1024;

    private readonly Dictionary<int, List<PortBinding<T>>> _byPort = new Dictionary<int, List<PortBinding<T>>>();
    private int _nextEphemeral;
    /// <summary>The published view: 256 chunks of 256 ports, each slot a port's bindings as of its last change.</summary>
    private readonly PortView<T>[]?[]?[] _view = new PortView<T>[]?[]?[256];

    public PortTable(int seed) => _nextEphemeral = EphemeralLow + (int)((uint)seed % (EphemeralHigh - EphemeralLow + 1));

    public int Count { get; private set; }

    private static bool Overlap(uint a, uint b) => a == InetAddress.Any || b == InetAddress.Any || a == b;

    /// <summary>Whether <paramref name="b"/> may take <paramref name="port"/> at its address.</summary>
    public bool Free(PortBinding<T> b, int port)
    {
        if (!_byPort.TryGetValue(port, out List<PortBinding<T>>? list)) return true;
        foreach (PortBinding<T> other in list)
        {
            if (other == b || !Overlap(other.Address, b.Address)) continue;
            if (other.ReuseAddress && b.ReuseAddress && !other.Listening) continue;
            if (other.ReusePort && b.ReusePort && other.Uid == b.Uid) continue;
            return false;
        }
        return true;
    }

    /// <summary>Whether <paramref name="b"/> may start listening on its port: no other listener there
    /// overlaps its address, unless both share by SO_REUSEPORT with one uid.</summary>
    public bool MayListen(PortBinding<T> b)
    {
        if (!_byPort.TryGetValue(b.Port, out List<PortBinding<T>>? list)) return true;
        foreach (PortBinding<T> other in list)
        {
            if (other == b || !other.Listening || !Overlap(other.Address, b.Address)) continue;
            if (other.ReusePort && b.ReusePort && other.Uid == b.Uid) continue;
            return false;
        }
        return true;
    }

    /// <summary>Binds <paramref name="b"/> at its Address to <paramref name="port"/>, or to a free
    /// ephemeral port when 0: 0, -EADDRINUSE when taken (or, for port 0, none is free).</summary>
    public int Bind(PortBinding<T> b, int port)
    {
        if (port == 0)
        {
            int span = EphemeralHigh - EphemeralLow + 1;
            for (int i = 0; i < span; i++)
            {
                int candidate = _nextEphemeral;
                _nextEphemeral = candidate == EphemeralHigh ? EphemeralLow : candidate + 1;
                if (Free(b, candidate))
                {
                    port = candidate;
                    break;
                }
            }
            if (port == 0) return -Errno.EADDRINUSE;
        }
        else if (!Free(b, port)) return -Errno.EADDRINUSE;
        if (!_byPort.TryGetValue(port, out List<PortBinding<T>>? list))
        {
            list = new List<PortBinding<T>>();
            _byPort[port] = list;
        }
        b.Port = (ushort)port;
        list.Add(b);
        Count++;
        Republish(port);
        return 0;
    }

    /// <summary>Adds <paramref name="b"/> at its port without a conflict check: an accepted TCP
    /// connection, which shares its listener's port (the bind bucket's owners, on Linux).</summary>
    public void Attach(PortBinding<T> b)
    {
        if (!_byPort.TryGetValue(b.Port, out List<PortBinding<T>>? list))
        {
            list = new List<PortBinding<T>>();
            _byPort[b.Port] = list;
        }
        list.Add(b);
        Count++;
        Republish(b.Port);
    }

    public void Unbind(PortBinding<T> b)
    {
        if (!_byPort.TryGetValue(b.Port, out List<PortBinding<T>>? list) || !list.Remove(b)) return;
        Count--;
        if (list.Count == 0) _byPort.Remove(b.Port);
        Republish(b.Port);
    }

    /// <summary>Publishes <paramref name="port"/>'s bindings as they are now, for lookups on any CPU
    /// (the owner calls it after every change to a binding of that port).</summary>
    public void Republish(int port)
    {
        PortView<T>[]?[]? chunk = Volatile.Read(ref _view[port >> 8]);
        if (chunk == null)
        {
            chunk = new PortView<T>[]?[256];
            Volatile.Write(ref _view[port >> 8], chunk);
        }
        PortView<T>[]? views = null;
        if (_byPort.TryGetValue(port, out List<PortBinding<T>>? list) && list.Count > 0)
        {
            views = new PortView<T>[list.Count];
            for (int i = 0; i < views.Length; i++) views[i] = new PortView<T>(list[i]);
        }
        Volatile.Write(ref chunk[port & 0xFF], views);
    }

    private PortView<T>[]? Published(int port)
    {
        PortView<T>[]?[]? chunk = Volatile.Read(ref _view[(port >> 8) & 0xFF]);
        return chunk == null ? null : Volatile.Read(ref chunk[port & 0xFF]);
    }

    /// <summary>The socket a segment from <paramref name="source"/>:<paramref name="sourcePort"/> to
    /// <paramref name="destination"/>:<paramref name="port"/> belongs to, or null (any CPU).</summary>
    public T? Lookup(uint destination, int port, uint source, int sourcePort)
    {
        PortView<T>[]? list = Published(port);
        if (list == null) return null;
        int best = 0, matches = 0;
        PortView<T>? last = null;
        foreach (PortView<T> b in list)
        {
            int score = b.Score(destination, source, sourcePort);
            if (score > best)
            {
                best = score;
                matches = 0;
            }
            if (score == best && score > 0)
            {
                matches++;
                last = b;
            }
        }
        if (last == null) return null;
        // Sockets sharing by SO_REUSEADDR: the last bound receives (Linux adds them at the head).
        if (matches == 1 || !last.ReusePort) return last.Owner;
        int pick = (int)((source ^ (uint)sourcePort * 2654435761u) % (uint)matches);
        foreach (PortView<T> b in list)
        {
            if (b.Score(destination, source, sourcePort) != best) continue;
            if (pick-- == 0) return b.Owner;
        }
        return last.Owner;
    }

    /// <summary>Every socket a broadcast or multicast segment reaches (__udp4_lib_mcast_deliver):
    /// each binding of the port that matches at all. Returns how many (any CPU).</summary>
    public int LookupAll(uint destination, int port, uint source, int sourcePort, List<T> into)
    {
        PortView<T>[]? list = Published(port);
        if (list == null) return 0;
        int n = 0;
        foreach (PortView<T> b in list)
        {
            if (b.Score(destination, source, sourcePort) == 0) continue;
            into.Add(b.Owner);
            n++;
        }
        return n;
    }

    /// <summary>Every published binding's socket, in port order (any CPU: /proc/net/udp, /proc/net/tcp).</summary>
    public void ForEachPublished(System.Action<T> visit)
    {
        for (int hi = 0; hi < _view.Length; hi++)
        {
            PortView<T>[]?[]? chunk = Volatile.Read(ref _view[hi]);
            if (chunk == null) continue;
            for (int lo = 0; lo < chunk.Length; lo++)
            {
                PortView<T>[]? views = Volatile.Read(ref chunk[lo]);
                if (views == null) continue;
                for (int i = 0; i < views.Length; i++) visit(views[i].Owner);
            }
        }
    }
}
