// TcpSocketTests: AF_INET stream sockets between processes on two CPUs on
// the host harness — a connection accepted across CPUs carrying bytes in
// order to EOF — and what a device could throw at the stack: a SYN flood
// from 5,000 source ports at one listener is bounded (at most backlog + 1
// connections in progress or queued, so no socket per SYN; the rest counted
// as drops), and malformed segments (short, bad header
// length, bad checksum) are counted drops, never a fault, while the
// listener still accepts a real client afterwards.
using System.Buffers.Binary;
using System.Text;
using Kevlar.Net;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.Async;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Files;

public class TcpSocketTests
{
    private const ulong Name = Scratch + 0x800, Data = Scratch + 0x1000, Length = Scratch + 0x900;
    private readonly ProcessHarness _k = new();

    private int Socket(UserProcess p) => InetSockets.Create(_k, p, SocketConstants.SOCK_STREAM);

    private static ulong PutInet(UserProcess p, uint address, int port) => InetSockets.PutAddress(p, Name, address, port);

    /// <summary>A listener of <paramref name="p"/> on 127.0.0.1 (ephemeral port), and that port.</summary>
    private (int fd, int port) Listener(UserProcess p, int backlog)
    {
        int fd = Socket(p);
        ulong len = PutInet(p, InetAddress.Loopback, 0);
        Assert.Equal(0, _k.Call(p.MainThread, () => Bind.Do(p.MainThread, fd, Name, len)));
        Assert.Equal(0, _k.Call(p.MainThread, () => Listen.Invoke(p.MainThread, Args((ulong)fd, I(backlog)))));
        PutUInt64(p, Length, 16);
        Assert.Equal(0, _k.Call(p.MainThread, () => SockName.InvokeGetsockname(p.MainThread, Args((ulong)fd, Name, Length))));
        return (fd, BinaryPrimitives.ReadUInt16BigEndian(Get(p, Name + 2, 2)));
    }

    private long Connect(UserProcess p, int fd, int port)
    {
        ulong len = PutInet(p, InetAddress.Loopback, port);
        return _k.Call(p.MainThread, () => Kevlar.Process.Syscalls.Connect.Invoke(p.MainThread, Args((ulong)fd, Name, len)));
    }

    [Fact]
    public void Connection_AcrossCpus_CarriesBytesInOrder_ThenEof()
    {
        UserProcess server = _k.NewProcess(cpu: 0), client = _k.NewProcess(cpu: 1);
        var (l, port) = Listener(server, 4);
        int c = Socket(client);
        Assert.Equal(0, Connect(client, c, port));
        long s = _k.Call(server.MainThread, () => Accept.Do(server.MainThread, l, 0, 0, 0));
        Assert.True(s >= 0, $"accept: {s}");
        byte[] text = Encoding.ASCII.GetBytes("the quick brown fox");
        Put(client, Data, text);
        Assert.Equal(text.Length, _k.Call(client.MainThread, () => ReadWrite.DoWrite(client.MainThread, c, Data, (ulong)text.Length)));
        Assert.Equal(0, _k.OnCpu(1, () => Close.Invoke(client.MainThread, Args((ulong)c))));
        var got = new StringBuilder();
        while (true)
        {
            long n = _k.Call(server.MainThread, () => ReadWrite.DoRead(server.MainThread, (int)s, Data, 64));
            Assert.True(n >= 0, $"read: {n}");
            if (n == 0) break;
            got.Append(GetString(server, Data, (int)n));
        }
        Assert.Equal("the quick brown fox", got.ToString());
    }

    private static byte[] Segment(int sourcePort, int port, byte flags, uint seq, bool checksum = true)
    {
        var h = new TcpHeader((ushort)sourcePort, (ushort)port, seq, 0, flags, 65535, mss: 1460);
        // From a foreign address (TEST-NET-1): the SYN-ACKs go nowhere, as a spoofed flood's do.
        return h.Packet(0xC0000205, InetAddress.Loopback, System.ReadOnlySpan<byte>.Empty, 1, 64, checksum);
    }

    [Fact]
    public void SynFlood_IsBoundedByTheBacklog_AndTheListenerStillAccepts()
    {
        UserProcess server = _k.NewProcess(cpu: 0);
        var (l, port) = Listener(server, 8);
        var inet = _k.Host.Inet;
        for (int i = 0; i < 5000; i++)
        {
            byte[] syn = Segment(10000 + i, port, TcpHeader.Syn, (uint)i * 7919);
            _k.OnCpu(0, () => inet.DeviceInput(syn));
            if (i % 500 == 0) _k.Run();
        }
        _k.Run();
        // backlog + 1 half-open children; every other SYN dropped and counted.
        Assert.Equal(5000 - 9, inet.Drops(PacketDrop.ListenQueueFull));
        Assert.Equal(9 + 1, inet.Sockets(Ipv4Header.ProtocolTcp).Length); // the listener and its 9 children

        // The half-open children time out (their SYN-ACKs go unanswered) and a real client gets in.
        for (int i = 0; i < 10; i++)
        {
            _k.Clock.MonotonicNanoseconds += 70_000_000_000UL;
            _k.Timers.FireDue(_k.Clock.MonotonicNanoseconds);
            _k.Run();
        }
        Assert.Single(inet.Sockets(Ipv4Header.ProtocolTcp));
        UserProcess client = _k.NewProcess(cpu: 1);
        int c = Socket(client);
        Assert.Equal(0, Connect(client, c, port));
        Assert.True(_k.Call(server.MainThread, () => Accept.Do(server.MainThread, l, 0, 0, 0)) >= 0);
    }

    [Fact]
    public void MalformedSegments_FromADevice_AreCountedDrops()
    {
        UserProcess server = _k.NewProcess(cpu: 0);
        var (_, port) = Listener(server, 4);
        var inet = _k.Host.Inet;
        byte[] good = Segment(12345, port, TcpHeader.Syn, 1);
        byte[] badSum = (byte[])good.Clone();
        badSum[^1] ^= 0x55;
        byte[] badOffset = (byte[])good.Clone();
        badOffset[20 + 12] = 0x40; // data offset 4 words: below the header's 5
        byte[] tooLongOffset = (byte[])good.Clone();
        tooLongOffset[20 + 12] = 0xF0; // 60 bytes of header in a 24-byte segment
        byte[] shortSegment = Segment(12345, port, TcpHeader.Syn, 1)[..30];
        BinaryPrimitives.WriteUInt16BigEndian(shortSegment.AsSpan(2), 30);
        BinaryPrimitives.WriteUInt16BigEndian(shortSegment.AsSpan(10), 0);
        BinaryPrimitives.WriteUInt16BigEndian(shortSegment.AsSpan(10), InternetChecksum.Of(shortSegment.AsSpan(0, 20)));
        foreach (byte[] p in new[] { badSum, badOffset, tooLongOffset, shortSegment }) _k.OnCpu(0, () => inet.DeviceInput(p));
        _k.Run();
        Assert.Equal(1, inet.Drops(PacketDrop.BadChecksum));
        Assert.Equal(2, inet.Drops(PacketDrop.BadHeaderLength));
        Assert.Equal(1, inet.Drops(PacketDrop.Truncated));
        Assert.Single(inet.Sockets(Ipv4Header.ProtocolTcp)); // no child made
    }
}
