// ArpCache: the IPv4 neighbours of one Ethernet interface (RFC 826), reduced
// from Linux's neighbour states: an entry is REACHABLE for ReachableNanoseconds
// after a reply, then STALE — still used, but the next packet to it asks again
// (at most once per RetryNanoseconds). A packet for an address with no entry
// waits here (at most MaxQueued per address) while requests go out; after
// MaxRequests unanswered requests (Linux's mcast_solicit 3, retrans_time 1 s)
// the next attempt fails the address and drops what waited.
//
// State: _entries is published whole (copy on write) so the packet path reads
// it on any CPU without a lock; every change and _pending belong to the owner
// (the stack's actor).
using System.Collections.Generic;
using System.Threading;

namespace Kevlar.Net;

public sealed class ArpCache
{
    public const ulong ReachableNanoseconds = 30_000_000_000UL, RetryNanoseconds = 1_000_000_000UL;
    public const int MaxRequests = 3, MaxQueued = 16, MaxEntries = 512;

    public sealed class Entry
    {
        public readonly uint Address;
        public readonly byte[] Mac;
        public readonly ulong Confirmed;

        public Entry(uint address, byte[] mac, ulong confirmed)
        {
            Address = address;
            Mac = mac;
            Confirmed = confirmed;
        }
    }

    private sealed class Pending
    {
        public List<byte[]> Packets = new List<byte[]>();
        public ulong LastRequest;
        public int Requests;
    }

    private Entry[] _entries = new Entry[0];
    private readonly Dictionary<uint, Pending> _pending = new Dictionary<uint, Pending>();
    private readonly Dictionary<uint, ulong> _lastRefresh = new Dictionary<uint, ulong>();

    /// <summary>The entries now (any CPU; a moment's picture).</summary>
    public Entry[] Entries => Volatile.Read(ref _entries);

    /// <summary>The MAC of <paramref name="address"/>, or null (any CPU, no lock); <paramref name="stale"/>
    /// when it is older than ReachableNanoseconds and should be confirmed.</summary>
    public byte[]? Lookup(uint address, ulong now, out bool stale)
    {
        Entry[] all = Volatile.Read(ref _entries);
        for (int i = 0; i < all.Length; i++)
        {
            if (all[i].Address != address) continue;
            stale = now - all[i].Confirmed > ReachableNanoseconds;
            return all[i].Mac;
        }
        stale = false;
        return null;
    }

    /// <summary>Owner: records <paramref name="address"/> at <paramref name="mac"/> (a reply, or a
    /// request naming us); returns the packets that waited for it, in order, or null.</summary>
    public List<byte[]>? Learn(uint address, byte[] mac, ulong now)
    {
        Entry[] all = _entries;
        var list = new List<Entry>(all.Length + 1);
        for (int i = 0; i < all.Length; i++)
            if (all[i].Address != address) list.Add(all[i]);
        if (list.Count >= MaxEntries) list.RemoveAt(0); // the oldest learnt goes first
        list.Add(new Entry(address, mac, now));
        Volatile.Write(ref _entries, list.ToArray());
        _lastRefresh.Remove(address);
        if (!_pending.TryGetValue(address, out Pending? waiting)) return null;
        _pending.Remove(address);
        return waiting.Packets;
    }

    /// <summary>Owner: whether a stale entry should be asked for again now (once per RetryNanoseconds).</summary>
    public bool RefreshDue(uint address, ulong now)
    {
        if (_lastRefresh.TryGetValue(address, out ulong last) && now - last < RetryNanoseconds) return false;
        _lastRefresh[address] = now;
        return true;
    }

    /// <summary>Owner: <paramref name="packet"/> waits for <paramref name="address"/>. Returns whether a
    /// request should go out now; <paramref name="failed"/>: packets dropped (the queue was full, or
    /// the address failed after MaxRequests unanswered requests — those in
    /// <paramref name="unanswered"/>, for their senders to hear of it).</summary>
    public bool Enqueue(uint address, byte[] packet, ulong now, out int failed, out List<byte[]>? unanswered)
    {
        failed = 0;
        unanswered = null;
        if (!_pending.TryGetValue(address, out Pending? p))
        {
            p = new Pending();
            _pending[address] = p;
            p.Packets.Add(packet);
            p.Requests = 1;
            p.LastRequest = now;
            return true;
        }
        if (now - p.LastRequest < RetryNanoseconds)
        {
            if (p.Packets.Count < MaxQueued) p.Packets.Add(packet);
            else failed = 1;
            return false;
        }
        if (p.Requests >= MaxRequests)
        {
            // Unanswered: what waited is dropped, and this packet starts a new round.
            failed = p.Packets.Count;
            unanswered = p.Packets;
            p.Packets = new List<byte[]>();
            p.Requests = 0;
        }
        if (p.Packets.Count < MaxQueued) p.Packets.Add(packet);
        else failed++;
        p.Requests++;
        p.LastRequest = now;
        return true;
    }
}
