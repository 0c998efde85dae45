// FragmentReassemblyTests: IPv4 datagrams rebuilt from fragments in any order
// and with a fragment repeated, the header made whole again; and what is
// given up — overlaps, a datagram past 65535 bytes, a short non-final
// fragment, conflicting ends, too many datagrams at once, an old queue.
using System.Buffers.Binary;
using Kevlar.Net;
using Xunit;

namespace Kevlar.Net.Tests;

public class FragmentReassemblyTests
{
    private const uint A = 0x0A000302, B = 0x0A000301;
    private const ulong Second = 1_000_000_000UL;

    private static byte[] Datagram(int data, ushort id = 9)
    {
        var p = new byte[Ipv4Header.MinLength + data];
        for (int i = 0; i < data; i++) p[Ipv4Header.MinLength + i] = (byte)(i * 7);
        Ipv4Header.Write(p, p.Length, id, 64, Ipv4Header.ProtocolUdp, A, B);
        return p;
    }

    private static Ipv4Header Parsed(byte[] p)
    {
        Assert.Equal(PacketDrop.None, Ipv4Header.Parse(p, out Ipv4Header ip));
        return ip;
    }

    /// <summary>A fragment of <paramref name="whole"/>'s data [offset, offset+length), MF as given.</summary>
    private static byte[] Piece(byte[] whole, int offset, int length, bool more)
    {
        var f = new byte[Ipv4Header.MinLength + length];
        Array.Copy(whole, f, Ipv4Header.MinLength);
        Array.Copy(whole, Ipv4Header.MinLength + offset, f, Ipv4Header.MinLength, length);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(2), (ushort)f.Length);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(6), (ushort)((more ? 0x2000 : 0) | offset / 8));
        f[10] = f[11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(10), InternetChecksum.Of(f.AsSpan(0, Ipv4Header.MinLength)));
        return f;
    }

    [Fact]
    public void Fragments_InAnyOrder_WithARepeat_GiveTheDatagramBack()
    {
        byte[] whole = Datagram(4000);
        var fragments = Ipv4Header.Fragment(whole, 1500);
        var r = new FragmentReassembly();
        Assert.Null(r.Add(fragments[2], Parsed(fragments[2]), 0));
        Assert.Null(r.Add(fragments[0], Parsed(fragments[0]), 0));
        Assert.Equal(1, r.Pending);
        byte[]? back = r.Add(fragments[1], Parsed(fragments[1]), 0);
        Assert.NotNull(back);
        Ipv4Header ip = Parsed(back!); // the header checks out again
        Assert.False(ip.IsFragment);
        Assert.Equal(whole.Length, ip.TotalLength);
        Assert.Equal(whole[Ipv4Header.MinLength..], back![Ipv4Header.MinLength..]);
        Assert.Equal(0, r.Pending);
        Assert.Equal(1, r.Completed);
        Assert.Equal(0, r.Failures);
    }

    [Fact]
    public void TwoDatagrams_InterleavedByIdentification_StayApart()
    {
        byte[] one = Datagram(2000, id: 1), two = Datagram(3000, id: 2);
        var f1 = Ipv4Header.Fragment(one, 1500);
        var f2 = Ipv4Header.Fragment(two, 1500);
        var r = new FragmentReassembly();
        Assert.Null(r.Add(f1[0], Parsed(f1[0]), 0));
        Assert.Null(r.Add(f2[1], Parsed(f2[1]), 0));
        Assert.Null(r.Add(f2[0], Parsed(f2[0]), 0));
        Assert.Equal(one[20..], r.Add(f1[1], Parsed(f1[1]), 0)![20..]);
        Assert.Equal(two[20..], r.Add(f2[2], Parsed(f2[2]), 0)![20..]);
    }

    [Fact]
    public void OverlappingFragments_DropTheDatagram()
    {
        byte[] whole = Datagram(3000);
        var r = new FragmentReassembly();
        Assert.Null(r.Add(Piece(whole, 0, 1480, true), Parsed(Piece(whole, 0, 1480, true)), 0));
        byte[] overlap = Piece(whole, 1400, 1600, false);
        Assert.Null(r.Add(overlap, Parsed(overlap), 0));
        Assert.Equal(0, r.Pending);
        Assert.Equal(1, r.Failures);
    }

    [Fact]
    public void MalformedFragments_AreGivenUp()
    {
        byte[] whole = Datagram(3000);
        var r = new FragmentReassembly();
        byte[] odd = Piece(whole, 0, 1001, true);             // not a multiple of 8 and not the last
        Assert.Null(r.Add(odd, Parsed(odd), 0));
        byte[] past = Piece(Datagram(1000), 0, 1000, false);  // an end past 65535
        BinaryPrimitives.WriteUInt16BigEndian(past.AsSpan(6), (ushort)(65000 / 8));
        past[10] = past[11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(past.AsSpan(10), InternetChecksum.Of(past.AsSpan(0, 20)));
        Assert.Null(r.Add(past, Parsed(past), 0));
        byte[] end1 = Piece(whole, 1480, 800, false), end2 = Piece(whole, 1480, 1520, false); // two different ends
        Assert.Null(r.Add(end1, Parsed(end1), 0));
        Assert.Null(r.Add(end2, Parsed(end2), 0));
        Assert.Equal(0, r.Pending);
        Assert.Equal(3, r.Failures);
    }

    [Fact]
    public void Queues_AreBounded_AndExpireAfterTheirTime()
    {
        var r = new FragmentReassembly();
        for (int i = 0; i < FragmentReassembly.MaxQueues + 3; i++)
        {
            byte[] f = Piece(Datagram(100, id: (ushort)i), 0, 16, true);
            Assert.Null(r.Add(f, Parsed(f), 0));
        }
        Assert.Equal(FragmentReassembly.MaxQueues, r.Pending);
        Assert.Equal(3, r.Failures);
        byte[] late = Piece(Datagram(100, id: 9999), 0, 16, true);
        Assert.Null(r.Add(late, Parsed(late), FragmentReassembly.Timeout + Second));
        Assert.Equal(1, r.Pending); // every old queue went; the new one waits
        Assert.Equal(3 + FragmentReassembly.MaxQueues, r.Failures);
    }
}
