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
// they read published views, immutable arrays of PortView in Volatile slots,
// which the owner replaces whenever a binding changes (Republish). A lookup
// sees the bindings as of some recent change, never a half-made one.
// Connected bindings are published apart, in buckets by port and peer (as
// Linux's established hash is apart from its bind buckets): a server port
// holds one binding per accepted connection, thousands in TIME_WAIT, and
// republishing or scanning them all on every connect and every segment made
// a connect's cost grow with the connections before it. A connected binding
// that matches outscores any unconnected one (compute_score), so a lookup
// asks the peer's bucket first and the port's view only when it finds none.
using System.Collections.Generic;
using System.Threading;

namespace Kevlar.Net;

public sealed class PortTable<T> where T : class
{
    /// <summary>/proc/sys/net/ipv4/ip_local_port_range's defaults.</summary>
    public const int EphemeralLow = 32768, EphemeralHigh = 60999;
    /// <summary>ip_unprivileged_port_start: below it only a privileged caller binds.</summary>
    public const int UnprivilegedPortStart = 1024;
    /// <summary>Buckets of connected bindings (a power of two).</summary>
    private const int ConnectedBuckets = 4096;

    // A port's bindings, the owner's: unconnected in bind order (SO_REUSEADDR's last-bound rule
    // reads it), connected in any order (each knows its index: removal is a swap with the last).
    private sealed class PortBindings
    {
        public readonly List<PortBinding<T>> Unconnected = new List<PortBinding<T>>();
        public readonly List<PortBinding<T>> Connected = new List<PortBinding<T>>();
        public int Count => Unconnected.Count + Connected.Count;
    }

    private readonly Dictionary<int, PortBindings> _byPort = new Dictionary<int, PortBindings>();
    private int _nextEphemeral;
    /// <summary>The published unconnected bindings: 256 chunks of 256 ports, each slot a port's as of its last change.</summary>
    private readonly PortView<T>[]?[]?[] _view = new PortView<T>[]?[]?[256];
    /// <summary>The published connected bindings, by BucketOf(port, peer).</summary>
    private readonly PortView<T>[]?[] _connected = new PortView<T>[]?[ConnectedBuckets];

    public PortTable(int seed) => _nextEphemeral = EphemeralLow + (int)((uint)seed % (EphemeralHigh - EphemeralLow + 1));

    public int Count { get; private set; }

    private static bool Overlap(uint a, uint b) => a == InetAddress.Any || b == InetAddress.Any || a == b;

    private static int BucketOf(int port, uint remote, int remotePort)
        => (int)(((uint)port * 2654435761u ^ remote * 2246822519u ^ (uint)remotePort * 3266489917u) >> 20) & (ConnectedBuckets - 1);

    /// <summary>Whether <paramref name="b"/> may take <paramref name="port"/> at its address.</summary>
    public bool Free(PortBinding<T> b, int port)
    {
        if (!_byPort.TryGetValue(port, out PortBindings? at)) return true;
        return FreeAmong(at.Unconnected, b) && FreeAmong(at.Connected, b);
    }

    private static bool FreeAmong(List<PortBinding<T>> list, PortBinding<T> b)
    {
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
        if (!_byPort.TryGetValue(b.Port, out PortBindings? at)) return true;
        foreach (PortBinding<T> other in at.Unconnected) // a listener is never connected
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
        b.Port = (ushort)port;
        Attach(b);
        return 0;
    }

    /// <summary>Adds <paramref name="b"/> at its port without a conflict check: an accepted TCP
    /// connection, which shares its listener's port (the bind bucket's owners, on Linux).</summary>
    public void Attach(PortBinding<T> b)
    {
        if (!_byPort.TryGetValue(b.Port, out PortBindings? at))
        {
            at = new PortBindings();
            _byPort[b.Port] = at;
        }
        Add(at, b);
        Count++;
        Publish(b, !b.Connected);
    }

    public void Unbind(PortBinding<T> b)
    {
        bool wasUnconnected = b.ConnectedIndex < 0;
        if (!_byPort.TryGetValue(b.Port, out PortBindings? at) || !Remove(at, b)) return;
        Count--;
        if (at.Count == 0) _byPort.Remove(b.Port);
        Publish(b, wasUnconnected);
    }

    /// <summary>Publishes <paramref name="b"/> as it is now, for lookups on any CPU (the owner calls it
    /// after changing a bound binding: a connect, a disconnect).</summary>
    public void Republish(PortBinding<T> b)
    {
        if (!_byPort.TryGetValue(b.Port, out PortBindings? at)) return;
        bool wasConnected = b.ConnectedIndex >= 0;
        if (wasConnected != b.Connected && Remove(at, b)) Add(at, b);
        Publish(b, !wasConnected || !b.Connected);
    }

    private static void Add(PortBindings at, PortBinding<T> b)
    {
        if (b.Connected)
        {
            b.ConnectedIndex = at.Connected.Count;
            at.Connected.Add(b);
        }
        else at.Unconnected.Add(b);
    }

    // Takes b out of its port's lists; false when it is in neither.
    private static bool Remove(PortBindings at, PortBinding<T> b)
    {
        int i = b.ConnectedIndex;
        if (i < 0) return at.Unconnected.Remove(b);
        int last = at.Connected.Count - 1;
        PortBinding<T> moved = at.Connected[last];
        at.Connected[i] = moved;
        moved.ConnectedIndex = i;
        at.Connected.RemoveAt(last);
        b.ConnectedIndex = -1;
        return true;
    }

    // Publishes b's change: out of the connected bucket it was published in, into the one it
    // belongs in now (if it is bound and connected), and, when b is or was among them, its port's
    // unconnected view made again (a few bindings: listeners, unconnected sockets) — not on every
    // accept and close of a connection on a listener's port.
    private void Publish(PortBinding<T> b, bool unconnectedChanged)
    {
        if (b.PublishedBucket >= 0)
        {
            Volatile.Write(ref _connected[b.PublishedBucket], Without(Volatile.Read(ref _connected[b.PublishedBucket]), b.Owner));
            b.PublishedBucket = -1;
        }
        if (b.ConnectedIndex >= 0)
        {
            int bucket = BucketOf(b.Port, b.RemoteAddress, b.RemotePort);
            PortView<T>[]? old = Volatile.Read(ref _connected[bucket]);
            int n = old == null ? 0 : old.Length;
            var views = new PortView<T>[n + 1];
            for (int i = 0; i < n; i++) views[i] = old![i];
            views[n] = new PortView<T>(b);
            Volatile.Write(ref _connected[bucket], views);
            b.PublishedBucket = bucket;
        }
        if (unconnectedChanged) PublishUnconnected(b.Port);
    }

    private static PortView<T>[]? Without(PortView<T>[]? views, T owner)
    {
        if (views == null) return null;
        int keep = 0;
        for (int i = 0; i < views.Length; i++) if (views[i].Owner != owner) keep++;
        if (keep == 0) return null;
        var left = new PortView<T>[keep];
        for (int i = 0, j = 0; i < views.Length; i++) if (views[i].Owner != owner) left[j++] = views[i];
        return left;
    }

    private void PublishUnconnected(int port)
    {
        PortView<T>[]?[]? chunk = Volatile.Read(ref _view[port >> 8]);
        if (chunk == null)
        {
            chunk = new PortView<T>[]?[256];
            Volatile.Write(ref _view[port >> 8], chunk);
        }
        PortView<T>[]? views = null;
        if (_byPort.TryGetValue(port, out PortBindings? at) && at.Unconnected.Count > 0)
        {
            views = new PortView<T>[at.Unconnected.Count];
            for (int i = 0; i < views.Length; i++) views[i] = new PortView<T>(at.Unconnected[i]);
        }
        Volatile.Write(ref chunk[port & 0xFF], views);
    }

    private PortView<T>[]? Published(int port)
    {
        PortView<T>[]?[]? chunk = Volatile.Read(ref _view[(port >> 8) & 0xFF]);
        return chunk == null ? null : Volatile.Read(ref chunk[port & 0xFF]);
    }

    private PortView<T>[]? PublishedConnected(int port, uint source, int sourcePort)
        => Volatile.Read(ref _connected[BucketOf(port, source, sourcePort)]);

    /// <summary>The socket a segment from <paramref name="source"/>:<paramref name="sourcePort"/> to
    /// <paramref name="destination"/>:<paramref name="port"/> belongs to, or null (any CPU).</summary>
    public T? Lookup(uint destination, int port, uint source, int sourcePort)
        => Best(PublishedConnected(port, source, sourcePort), destination, port, source, sourcePort)
            ?? Best(Published(port), destination, port, source, sourcePort);

    // The best-scoring view of the port in list (compute_score), or null when none matches.
    private static T? Best(PortView<T>[]? list, uint destination, int port, uint source, int sourcePort)
    {
        if (list == null) return null;
        int best = 0, matches = 0;
        PortView<T>? last = null;
        foreach (PortView<T> b in list)
        {
            int score = b.Score(destination, port, source, sourcePort);
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
            if (b.Score(destination, port, source, sourcePort) != best) continue;
            if (pick-- == 0) return b.Owner;
        }
        return last.Owner;
    }

    /// <summary>Every socket a broadcast or multicast segment reaches (__udp4_lib_mcast_deliver):
    /// each binding of the port that matches at all. Returns how many (any CPU).</summary>
    public int LookupAll(uint destination, int port, uint source, int sourcePort, List<T> into)
        => AllMatching(Published(port), destination, port, source, sourcePort, into)
            + AllMatching(PublishedConnected(port, source, sourcePort), destination, port, source, sourcePort, into);

    private static int AllMatching(PortView<T>[]? list, uint destination, int port, uint source, int sourcePort, List<T> into)
    {
        if (list == null) return 0;
        int n = 0;
        foreach (PortView<T> b in list)
        {
            if (b.Score(destination, port, source, sourcePort) == 0) continue;
            into.Add(b.Owner);
            n++;
        }
        return n;
    }

    /// <summary>Every published binding's socket (any CPU: /proc/net/udp, /proc/net/tcp): the
    /// unconnected in port order, then the connected, as Linux lists listeners before its
    /// established hash.</summary>
    public void ForEachPublished(System.Action<T> visit)
    {
        for (int hi = 0; hi < _view.Length; hi++)
        {
            PortView<T>[]?[]? chunk = Volatile.Read(ref _view[hi]);
            if (chunk == null) continue;
            for (int lo = 0; lo < chunk.Length; lo++) VisitAll(Volatile.Read(ref chunk[lo]), visit);
        }
        for (int i = 0; i < _connected.Length; i++) VisitAll(Volatile.Read(ref _connected[i]), visit);
    }

    private static void VisitAll(PortView<T>[]? views, System.Action<T> visit)
    {
        if (views == null) return;
        for (int i = 0; i < views.Length; i++) visit(views[i].Owner);
    }
}
