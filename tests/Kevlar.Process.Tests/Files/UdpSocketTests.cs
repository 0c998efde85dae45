// UdpSocketTests: AF_INET datagram sockets between processes on two CPUs —
// a datagram crosses CPUs and names its sender, a blocked receive is woken by
// a send from the other CPU, a send to a port nobody holds comes back as
// ECONNREFUSED on a connected socket — and malformed packets handed to the
// stack as a device would hand them are dropped and counted, never a fault,
// while a good packet after them is still delivered.
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

public class UdpSocketTests
{
    private const ulong Name = Scratch + 0x800, Data = Scratch + 0x1000, Length = Scratch + 0x900;
    private readonly ProcessHarness _k = new();

    private int Socket(UserProcess p) => InetSockets.Create(_k, p, SocketConstants.SOCK_DGRAM);

    private static ulong PutInet(UserProcess p, uint address, int port) => InetSockets.PutAddress(p, Name, address, port);

    /// <summary>A socket of <paramref name="p"/> bound to 127.0.0.1 on an ephemeral port, and that port.</summary>
    private (int fd, int port) Bound(UserProcess p)
    {
        int fd = Socket(p);
        ulong len = PutInet(p, InetAddress.Loopback, 0);
        Assert.Equal(0, _k.Call(p.MainThread, () => Bind.Do(p.MainThread, fd, Name, len)));
        PutUInt64(p, Length, 16);
        Assert.Equal(0, _k.Call(p.MainThread, () => SockName.InvokeGetsockname(p.MainThread, Args((ulong)fd, Name, Length))));
        return (fd, BinaryPrimitives.ReadUInt16BigEndian(Get(p, Name + 2, 2)));
    }

    private long SendTo(UserProcess p, int fd, string text, int port)
    {
        byte[] b = Encoding.Latin1.GetBytes(text);
        Put(p, Data, b);
        ulong len = PutInet(p, InetAddress.Loopback, port);
        return _k.Call(p.MainThread, () => Send.InvokeSendto(p.MainThread, Args((ulong)fd, Data, (ulong)b.Length, 0, Name, len)));
    }

    [Fact]
    public void Datagram_CrossesCpus_AndNamesItsSender()
    {
        UserProcess server = _k.NewProcess(cpu: 0), client = _k.NewProcess(cpu: 1);
        var (s, port) = Bound(server);
        var (c, clientPort) = Bound(client);
        Assert.Equal(5, SendTo(client, c, "hello", port));
        PutUInt64(server, Length, 16);
        long n = _k.Call(server.MainThread, () => Recv.InvokeRecvfrom(server.MainThread, Args((ulong)s, Data, 64, 0, Name, Length)));
        Assert.Equal(5, n);
        Assert.Equal("hello", GetString(server, Data, 5));
        Assert.Equal(16, GetInt32(server, Length));
        Assert.Equal(clientPort, BinaryPrimitives.ReadUInt16BigEndian(Get(server, Name + 2, 2)));
        Assert.Equal(InetAddress.Loopback, BinaryPrimitives.ReadUInt32BigEndian(Get(server, Name + 4, 4)));
    }

    [Fact]
    public void BlockedReceive_IsWokenByASendFromAnotherCpu()
    {
        UserProcess server = _k.NewProcess(cpu: 0), client = _k.NewProcess(cpu: 1);
        var (s, port) = Bound(server);
        KernelTask<long> recv = _k.Start(server.MainThread, () => ReadWrite.DoRead(server.MainThread, s, Data, 64));
        _k.Run();
        Assert.False(recv.IsCompleted);
        int c = Socket(client);
        Assert.Equal(3, SendTo(client, c, "abc", port));
        _k.Run();
        Assert.True(recv.IsCompleted);
        Assert.Equal(3, recv.Result);
        Assert.Equal("abc", GetString(server, Data, 3));
    }

    [Fact]
    public void ConnectedSend_ToAPortNobodyHolds_IsRefusedOnTheNextCall()
    {
        UserProcess p = _k.NewProcess(cpu: 1);
        var (gone, port) = Bound(p);
        Assert.Equal(0, _k.OnCpu(p.MainThread.Home, () => Close.Invoke(p.MainThread, Args((ulong)gone))));
        _k.Run();
        int c = Socket(p);
        ulong len = PutInet(p, InetAddress.Loopback, port);
        Assert.Equal(0, _k.Call(p.MainThread, () => Connect.Invoke(p.MainThread, Args((ulong)c, Name, len))));
        Put(p, Data, [1]);
        Assert.Equal(1, _k.Call(p.MainThread, () => ReadWrite.DoWrite(p.MainThread, c, Data, 1)));
        Assert.Equal(Err(Errno.ECONNREFUSED), _k.Call(p.MainThread, () => ReadWrite.DoWrite(p.MainThread, c, Data, 1)));
        Assert.Equal(1, _k.Call(p.MainThread, () => ReadWrite.DoWrite(p.MainThread, c, Data, 1)));
        Assert.Equal(2, _k.Host.Inet.Drops(PacketDrop.NoPort));
    }

    private static byte[] UdpPacket(int toPort, string text)
    {
        byte[] payload = Encoding.Latin1.GetBytes(text);
        var p = new byte[28 + payload.Length];
        payload.CopyTo(p, 28);
        UdpHeader.Write(p.AsSpan(20), 40000, (ushort)toPort, InetAddress.Loopback, InetAddress.Loopback);
        Ipv4Header.Write(p, p.Length, 1, 64, Ipv4Header.ProtocolUdp, InetAddress.Loopback, InetAddress.Loopback);
        return p;
    }

    [Fact]
    public void MalformedPackets_FromADevice_AreCountedDrops_AndAGoodOneStillArrives()
    {
        UserProcess server = _k.NewProcess(cpu: 0);
        var (s, port) = Bound(server);
        var inet = _k.Host.Inet;
        byte[] good = UdpPacket(port, "ok");
        byte[] badSum = (byte[])good.Clone();
        badSum[^1] ^= 0xFF;
        byte[] badVersion = (byte[])good.Clone();
        badVersion[0] = 0x65;
        byte[] fragment = UdpPacket(port, "frag");
        fragment[6] = 0x20; // MF
        BinaryPrimitives.WriteUInt16BigEndian(fragment.AsSpan(10), 0);
        BinaryPrimitives.WriteUInt16BigEndian(fragment.AsSpan(10), InternetChecksum.Of(fragment.AsSpan(0, 20)));
        byte[][] junk = [[], [0x45], good[..27], badSum, badVersion, fragment, new byte[1500]];
        foreach (byte[] packet in junk) _k.OnCpu(0, () => inet.DeviceInput(packet));
        _k.OnCpu(0, () => inet.DeviceInput(good));
        _k.Run();
        Assert.Equal(3, inet.Drops(PacketDrop.Truncated) + inet.Drops(PacketDrop.BadLength));
        Assert.Equal(1, inet.Drops(PacketDrop.BadChecksum));
        Assert.Equal(2, inet.Drops(PacketDrop.BadVersion)); // the zeroed 1500 bytes are version 0
        // A first fragment of 12 bytes: not a multiple of 8, so its reassembly is given up at once.
        Assert.Equal(1, inet.Reassembly.Failures);
        Assert.Equal(0, inet.Reassembly.Pending);
        long n = _k.Call(server.MainThread, () => ReadWrite.DoRead(server.MainThread, s, Data, 64));
        Assert.Equal(2, n);
        Assert.Equal("ok", GetString(server, Data, 2));
    }
}
