// UnixSocketTests: the AF_UNIX protocol between socket actors on two CPUs —
// the accept queue (order, a waiting accept woken by a connect elsewhere, a
// full backlog), a stream's byte order across writes, datagram boundaries,
// and SCM_RIGHTS files reclaimed when their message is never received.
using System.Text;
using Kevlar.Net;
using Kevlar.Process.Files.Pipes;
using Kevlar.Process.Files.Sockets;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.Async;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Files;

public class UnixSocketTests
{
    private const ulong Name = Scratch + 0x800, Data = Scratch + 0x1000, Header = Scratch + 0x2000,
        Iov = Scratch + 0x2100, Control = Scratch + 0x2200;
    private readonly ProcessHarness _k = new();

    private long Socket(UserProcess p, int type)
        => _k.OnCpu(p.MainThread.Home, () => SocketCreate.DoSocket(p.MainThread, SocketConstants.AF_UNIX, type, 0));

    private (int, int) Pair(UserProcess p, int type)
    {
        Assert.Equal(0, _k.OnCpu(p.MainThread.Home, () => SocketCreate.DoSocketpair(p.MainThread, SocketConstants.AF_UNIX, type, 0, Scratch)));
        return (GetInt32(p, Scratch), GetInt32(p, Scratch + 4));
    }

    /// <summary>Writes the abstract address "\0name" at Name; returns its length.</summary>
    private static ulong PutAbstract(UserProcess p, string name)
    {
        byte[] b = new byte[3 + name.Length];
        b[0] = SocketConstants.AF_UNIX;
        Encoding.Latin1.GetBytes(name).CopyTo(b, 3);
        Put(p, Name, b);
        return (ulong)b.Length;
    }

    private int Listener(UserProcess p, string name, int backlog)
    {
        int fd = (int)Socket(p, SocketConstants.SOCK_STREAM);
        ulong len = PutAbstract(p, name);
        Assert.Equal(0, _k.Call(p.MainThread, () => Bind.Do(p.MainThread, fd, Name, len)));
        Assert.Equal(0, _k.Call(p.MainThread, () => Listen.Invoke(p.MainThread, Args((ulong)fd, I(backlog)))));
        return fd;
    }

    private long Connect(UserProcess p, int fd, string name)
    {
        ulong len = PutAbstract(p, name);
        return _k.Call(p.MainThread, () => Kevlar.Process.Syscalls.Connect.Invoke(p.MainThread, Args((ulong)fd, Name, len)));
    }

    private long Send(UserProcess p, int fd, string text)
    {
        byte[] b = Encoding.Latin1.GetBytes(text);
        Put(p, Data, b);
        return _k.Call(p.MainThread, () => ReadWrite.DoWrite(p.MainThread, fd, Data, (ulong)b.Length));
    }

    private string Receive(UserProcess p, int fd, int room)
    {
        long n = _k.Call(p.MainThread, () => ReadWrite.DoRead(p.MainThread, fd, Data, (ulong)room));
        Assert.True(n >= 0, $"read failed: {n}");
        return GetString(p, Data, (int)n);
    }

    [Fact]
    public void Accept_ReturnsConnectionsFromAnotherCpu_InTheOrderTheyConnected()
    {
        UserProcess server = _k.NewProcess(cpu: 0);
        int l = Listener(server, "order", 8);
        UserProcess client = _k.NewProcess(cpu: 1);
        for (int i = 0; i < 3; i++)
        {
            int c = (int)Socket(client, SocketConstants.SOCK_STREAM);
            Assert.Equal(0, Connect(client, c, "order"));
            Assert.Equal(1, Send(client, c, ((char)('a' + i)).ToString()));
        }

        string order = "";
        for (int i = 0; i < 3; i++)
        {
            long s = _k.Call(server.MainThread, () => Accept.Do(server.MainThread, l, 0, 0, 0));
            Assert.True(s >= 0);
            order += Receive(server, (int)s, 10);
        }
        Assert.Equal("abc", order);
    }

    [Fact]
    public void WaitingAccept_IsWokenByAConnectOnAnotherCpu()
    {
        UserProcess server = _k.NewProcess(cpu: 0);
        int l = Listener(server, "wake", 1);
        KernelTask<long> accept = _k.Start(server.MainThread, () => Accept.Do(server.MainThread, l, 0, 0, 0));
        _k.Run();
        Assert.False(accept.IsCompleted);

        UserProcess client = _k.NewProcess(cpu: 1);
        int c = (int)Socket(client, SocketConstants.SOCK_STREAM);
        Assert.Equal(0, Connect(client, c, "wake"));
        _k.Run();

        Assert.True(accept.IsCompleted);
        Assert.True(accept.Result >= 0);
    }

    [Fact]
    public void NonBlockingConnect_ToAFullBacklog_IsEagain_AndAnAcceptMakesRoom()
    {
        UserProcess server = _k.NewProcess(cpu: 0);
        int l = Listener(server, "full", 0);
        UserProcess client = _k.NewProcess(cpu: 1);
        int first = (int)Socket(client, SocketConstants.SOCK_STREAM | SocketConstants.SOCK_NONBLOCK);
        int second = (int)Socket(client, SocketConstants.SOCK_STREAM | SocketConstants.SOCK_NONBLOCK);

        Assert.Equal(0, Connect(client, first, "full"));
        Assert.Equal(Err(Errno.EAGAIN), Connect(client, second, "full"));
        Assert.True(_k.Call(server.MainThread, () => Accept.Do(server.MainThread, l, 0, 0, 0)) >= 0);
        Assert.Equal(0, Connect(client, second, "full"));
    }

    [Fact]
    public void Connect_WhereNothingListens_IsEconnrefused()
    {
        UserProcess p = _k.NewProcess(cpu: 1);
        int c = (int)Socket(p, SocketConstants.SOCK_STREAM);
        Assert.Equal(Err(Errno.ECONNREFUSED), Connect(p, c, "nobody"));
    }

    [Fact]
    public void RefusedAndClosedSockets_LeaveNothingInTheOpenSocketTable()
    {
        UserProcess server = _k.NewProcess(cpu: 0);
        int bound = (int)Socket(server, SocketConstants.SOCK_STREAM);
        ulong len = PutAbstract(server, "bound-only");
        Assert.Equal(0, _k.Call(server.MainThread, () => Bind.Do(server.MainThread, bound, Name, len)));
        int l = Listener(server, "table", 2);
        UserProcess client = _k.NewProcess(cpu: 1);
        int refused = (int)Socket(client, SocketConstants.SOCK_STREAM);
        int ok = (int)Socket(client, SocketConstants.SOCK_STREAM);
        Assert.Equal(Err(Errno.ECONNREFUSED), Connect(client, refused, "bound-only"));
        Assert.Equal(0, Connect(client, ok, "table"));
        _k.Run();
        Assert.Equal(5, _k.Host.Vfs.UnixNames.LiveCount); // bound, listener, refused, ok, and ok's queued server side

        _k.OnCpu(1, () => { client.Files.CloseAll(); return 0; });
        _k.OnCpu(0, () => { server.Files.CloseAll(); return 0; });
        _k.Run();

        Assert.Equal(0, _k.Host.Vfs.UnixNames.LiveCount);
        Assert.Equal(0, _k.Host.Vfs.UnixNames.Count);
    }

    [Fact]
    public void StreamBytes_FromSeveralWritesOnAnotherCpu_ArriveOnceAndInOrder()
    {
        UserProcess a = _k.NewProcess(cpu: 0);
        (int x, int y) = Pair(a, SocketConstants.SOCK_STREAM);
        UserProcess b = _k.NewProcess(cpu: 1);
        b.Files.Install(5, a.Files.Get(y)!, false);
        a.Files.Close(y);
        KernelTask<long> waiting = _k.Start(a.MainThread, () => ReadWrite.DoRead(a.MainThread, x, Data, 2));
        _k.Run();
        Assert.False(waiting.IsCompleted);

        Assert.Equal(3, Send(b, 5, "abc"));
        Assert.Equal(3, Send(b, 5, "def"));
        _k.Run();

        Assert.Equal(2, waiting.Result);
        Assert.Equal("ab", GetString(a, Data, 2));
        Assert.Equal("cdef", Receive(a, x, 100));
    }

    [Fact]
    public void Datagrams_KeepTheirBoundaries()
    {
        UserProcess p = _k.NewProcess(cpu: 0);
        (int x, int y) = Pair(p, SocketConstants.SOCK_DGRAM);
        Assert.Equal(2, Send(p, x, "ab"));
        Assert.Equal(3, Send(p, x, "cde"));

        Assert.Equal("ab", Receive(p, y, 100));
        Assert.Equal("c", Receive(p, y, 1));
        Assert.Equal(Err(Errno.EAGAIN), _k.Call(p.MainThread, () => Recv.InvokeRecvfrom(p.MainThread, Args((ulong)y, Data, 10, SocketConstants.MSG_DONTWAIT))));
    }

    /// <summary>sendmsg of <paramref name="fd"/> through <paramref name="socket"/> with one SCM_RIGHTS message.</summary>
    private long SendFd(UserProcess p, int socket, int fd)
    {
        Put(p, Data, new byte[] { (byte)'f' });
        PutUInt64(p, Iov, Data, 1);
        var cmsg = new byte[ControlMessages.Space(4)];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(cmsg, (ulong)ControlMessages.Len(4));
        cmsg[8] = SocketConstants.SOL_SOCKET;
        cmsg[12] = SocketConstants.SCM_RIGHTS;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(cmsg.AsSpan(16), fd);
        Put(p, Control, cmsg);
        PutUInt64(p, Header, 0, 0, Iov, 1, Control, (ulong)cmsg.Length, 0);
        return _k.Call(p.MainThread, () => Kevlar.Process.Syscalls.Send.InvokeSendmsg(p.MainThread, Args((ulong)socket, Header, 0)));
    }

    [Fact]
    public void ScmRights_NeverReceived_AreReleasedWhenTheSocketsClose()
    {
        UserProcess p = _k.NewProcess(cpu: 0);
        Assert.Equal(0, _k.OnCpu(0, () => PipeCreate.Do(p.MainThread, Scratch + 0x40, 0)));
        int r = GetInt32(p, Scratch + 0x40), w = GetInt32(p, Scratch + 0x44);
        Pipe pipe = ((PipeEnd)p.Files.Get(r)!).Pipe;
        UserProcess other = _k.NewProcess(cpu: 1);
        (int x, int y) = Pair(other, SocketConstants.SOCK_STREAM);
        p.Files.Install(7, other.Files.Get(x)!, false);
        other.Files.Close(x);

        Assert.Equal(1, SendFd(p, 7, w));
        _k.OnCpu(0, () => p.Files.Close(w));
        _k.Run();
        Assert.Equal(1, pipe.Writers); // in flight

        _k.OnCpu(0, () => p.Files.Close(7));
        _k.OnCpu(1, () => other.Files.Close(y));
        _k.Run();
        Assert.Equal(0, pipe.Writers);
    }

    [Fact]
    public void ScmRights_Received_BecomeANewFdOnTheSameDescription()
    {
        UserProcess p = _k.NewProcess(cpu: 0);
        Assert.Equal(0, _k.OnCpu(0, () => PipeCreate.Do(p.MainThread, Scratch + 0x40, 0)));
        int w = GetInt32(p, Scratch + 0x44);
        (int x, int y) = Pair(p, SocketConstants.SOCK_DGRAM);
        Assert.Equal(1, SendFd(p, x, w));

        PutUInt64(p, Iov, Data, 16);
        PutUInt64(p, Header, 0, 0, Iov, 1, Control, (ulong)ControlMessages.Space(4), 0);
        Assert.Equal(1, _k.Call(p.MainThread, () => Recv.InvokeRecvmsg(p.MainThread, Args((ulong)y, Header, 0))));

        int received = GetInt32(p, Control + 16);
        Assert.NotEqual(w, received);
        Assert.Same(p.Files.Get(w), p.Files.Get(received));
    }
}
