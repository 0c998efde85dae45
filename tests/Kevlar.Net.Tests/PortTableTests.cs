// PortTableTests: Linux's bind conflicts (overlapping addresses, SO_REUSEADDR,
// SO_REUSEPORT by uid), ephemeral ports within ip_local_port_range, and the
// lookup that prefers the most specific binding (a bound address, a
// connected peer) and filters a connected socket's other senders; a server
// port with thousands of accepted connections, published apart by peer.
using System.Collections.Generic;
using Kevlar.Net;
using Xunit;

namespace Kevlar.Net.Tests;

public class PortTableTests
{
    private const uint Lo = 0x7F000001, Lo2 = 0x7F000002;
    private readonly PortTable<string> _t = new(1);

    private PortBinding<string> B(string name, uint address = 0, bool reuseAddr = false, bool reusePort = false, uint uid = 0)
        => new(name) { Address = address, ReuseAddress = reuseAddr, ReusePort = reusePort, Uid = uid };

    [Fact]
    public void OverlappingAddresses_Conflict()
    {
        Assert.Equal(0, _t.Bind(B("a", Lo), 5000));
        Assert.Equal(-Errno.EADDRINUSE, _t.Bind(B("b", Lo), 5000));
        Assert.Equal(-Errno.EADDRINUSE, _t.Bind(B("c", 0), 5000));
        Assert.Equal(0, _t.Bind(B("d", Lo2), 5000));
        Assert.Equal(2, _t.Count);
    }

    [Fact]
    public void ReuseAddress_OnBoth_Shares_AndReusePort_OnlyForTheSameUid()
    {
        Assert.Equal(0, _t.Bind(B("a", Lo, reuseAddr: true), 5000));
        Assert.Equal(-Errno.EADDRINUSE, _t.Bind(B("b", Lo), 5000));
        Assert.Equal(0, _t.Bind(B("c", Lo, reuseAddr: true), 5000));
        Assert.Equal(0, _t.Bind(B("p", Lo2, reusePort: true, uid: 1), 6000));
        Assert.Equal(0, _t.Bind(B("q", Lo2, reusePort: true, uid: 1), 6000));
        Assert.Equal(-Errno.EADDRINUSE, _t.Bind(B("r", Lo2, reusePort: true, uid: 2), 6000));
    }

    [Fact]
    public void AListener_SharesItsPortWithNobody_AndTwoListenersClash()
    {
        var listener = B("l", Lo, reuseAddr: true);
        Assert.Equal(0, _t.Bind(listener, 5000));
        var second = B("s", Lo, reuseAddr: true);
        Assert.Equal(0, _t.Bind(second, 5000)); // both SO_REUSEADDR, neither listening yet
        listener.Listening = true;
        Assert.False(_t.MayListen(second));
        Assert.Equal(-Errno.EADDRINUSE, _t.Bind(B("t", Lo, reuseAddr: true), 5000));
        Assert.True(_t.MayListen(listener));
    }

    [Fact]
    public void Ephemeral_PortsAreDistinct_InRange_AndRunOut()
    {
        var seen = new HashSet<int>();
        int span = PortTable<string>.EphemeralHigh - PortTable<string>.EphemeralLow + 1;
        for (int i = 0; i < span; i++)
        {
            var b = B("e" + i, Lo);
            Assert.Equal(0, _t.Bind(b, 0));
            Assert.InRange(b.Port, PortTable<string>.EphemeralLow, PortTable<string>.EphemeralHigh);
            Assert.True(seen.Add(b.Port));
        }
        Assert.Equal(-Errno.EADDRINUSE, _t.Bind(B("full", Lo), 0));
        Assert.Equal(0, _t.Bind(B("other address", Lo2), 0));
    }

    [Fact]
    public void Unbind_FreesThePort()
    {
        var a = B("a", Lo);
        _t.Bind(a, 5000);
        _t.Unbind(a);
        Assert.Equal(0, _t.Count);
        Assert.Null(_t.Lookup(Lo, 5000, Lo, 1));
        Assert.Equal(0, _t.Bind(B("b", Lo), 5000));
    }

    [Fact]
    public void Lookup_PrefersTheBoundAddress_ThenTheConnectedPeer()
    {
        var any = B("any", 0, reuseAddr: true);
        var lo = B("lo", Lo, reuseAddr: true);
        var conn = B("conn", Lo, reuseAddr: true);
        conn.RemoteAddress = Lo;
        conn.RemotePort = 7777;
        _t.Bind(any, 5000);
        _t.Bind(lo, 5000);
        _t.Bind(conn, 5000);
        Assert.Equal("conn", _t.Lookup(Lo, 5000, Lo, 7777));
        Assert.Equal("lo", _t.Lookup(Lo, 5000, Lo, 7778));
        Assert.Equal("any", _t.Lookup(Lo2, 5000, Lo, 7777));
        Assert.Null(_t.Lookup(Lo, 5001, Lo, 7777));
    }

    [Fact]
    public void Lookup_AConnectedSocket_HearsOnlyItsPeer()
    {
        var conn = B("conn", Lo);
        conn.RemoteAddress = Lo;
        conn.RemotePort = 7777;
        _t.Bind(conn, 5000);
        Assert.Null(_t.Lookup(Lo, 5000, Lo, 7778));
        Assert.Null(_t.Lookup(Lo, 5000, Lo2, 7777));
    }

    [Fact]
    public void Lookup_ReusePortGroup_KeepsOnePeerOnOneSocket()
    {
        for (int i = 0; i < 4; i++) _t.Bind(B("s" + i, Lo, reusePort: true), 5000);
        var hit = new HashSet<string?>();
        for (int port = 1000; port < 1100; port++)
        {
            string? first = _t.Lookup(Lo, 5000, Lo, port);
            Assert.Equal(first, _t.Lookup(Lo, 5000, Lo, port));
            hit.Add(first);
        }
        Assert.True(hit.Count > 1, "a reuseport group spreads its peers");
    }

    [Fact]
    public void LookupAll_FindsEveryMatchingBinding()
    {
        _t.Bind(B("a", 0, reuseAddr: true), 5000);
        _t.Bind(B("b", 0, reuseAddr: true), 5000);
        _t.Bind(B("lo", Lo, reuseAddr: true), 5000);
        var all = new List<string>();
        Assert.Equal(2, _t.LookupAll(0x7FFFFFFF, 5000, Lo, 1, all));
        Assert.Equal(new[] { "a", "b" }, all);
    }

    [Fact]
    public void AServerPort_WithThousandsOfConnections_FindsEachByItsPeer_AndTheListenerForNewPeers()
    {
        var listener = B("listener", 0);
        listener.Listening = true;
        Assert.Equal(0, _t.Bind(listener, 80));
        var accepted = new List<PortBinding<string>>();
        for (int i = 0; i < 5000; i++)
        {
            var c = B("c" + i, Lo);
            c.Port = 80;
            c.RemoteAddress = Lo2;
            c.RemotePort = (ushort)(10000 + i);
            _t.Attach(c);
            accepted.Add(c);
        }
        Assert.Equal(5001, _t.Count);
        for (int i = 0; i < 5000; i += 7) Assert.Equal("c" + i, _t.Lookup(Lo, 80, Lo2, 10000 + i));
        Assert.Equal("listener", _t.Lookup(Lo, 80, Lo2, 9999));
        // Closed in another order than made: every other one stays reachable by its peer only.
        for (int i = 0; i < 5000; i += 2) _t.Unbind(accepted[i]);
        Assert.Equal(2501, _t.Count);
        for (int i = 0; i < 5000; i++) Assert.Equal(i % 2 == 0 ? "listener" : "c" + i, _t.Lookup(Lo, 80, Lo2, 10000 + i));
        // The port's bind conflicts still see the connections (TIME_WAIT holds a port, as on Linux).
        _t.Unbind(listener);
        Assert.Equal(-Errno.EADDRINUSE, _t.Bind(B("again", Lo), 80));
        var names = new List<string>();
        _t.ForEachPublished(names.Add);
        Assert.Equal(2500, names.Count);
    }

    [Fact]
    public void Republish_MovesABindingBetweenConnectedAndNot()
    {
        var u = B("u", Lo);
        Assert.Equal(0, _t.Bind(u, 5000));
        u.RemoteAddress = Lo2;
        u.RemotePort = 7000;
        _t.Republish(u);
        Assert.Equal("u", _t.Lookup(Lo, 5000, Lo2, 7000));
        Assert.Null(_t.Lookup(Lo, 5000, Lo2, 7001));
        u.RemoteAddress = 0;
        u.RemotePort = 0;
        _t.Republish(u);
        Assert.Equal("u", _t.Lookup(Lo, 5000, Lo2, 7001));
        var all = new List<string>();
        Assert.Equal(1, _t.LookupAll(Lo, 5000, Lo2, 7000, all));
        _t.Unbind(u);
        Assert.Null(_t.Lookup(Lo, 5000, Lo2, 7000));
        Assert.Equal(0, _t.Count);
    }
}
