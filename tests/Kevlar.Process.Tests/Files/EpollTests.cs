// EpollTests: an epoll set owned by an actor, waited on from another CPU —
// edge-triggered entries reported again for a new edge while still ready
// (the watch registered for the unreported events), EPOLL_CTL_MOD re-arming
// a one-shot entry and waking a blocked waiter, entries of closed
// descriptions dropped, and the ready list: idle entries are not polled
// until their file wakes them, for a blocked wait, a nested set and poll(2).
using Kevlar.Process.Files;
using Kevlar.Process.Files.Events;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.Async;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Files;

public class EpollTests
{
    private const ulong Fds = Scratch + 0x400, Event = Scratch + 0x500, Events = Scratch + 0x600, Data = Scratch + 0x800;
    private readonly ProcessHarness _k = new();
    private readonly UserThread _writer, _waiter;
    private readonly int _read, _write, _ep;

    public EpollTests()
    {
        _writer = _k.NewProcess(cpu: 0).MainThread;
        _waiter = _k.NewProcess(cpu: 1).MainThread;
        Assert.Equal(0, _k.OnCpu(0, () => PipeCreate.Do(_writer, Fds, 0)));
        _read = GetInt32(_writer.Process, Fds);
        _write = GetInt32(_writer.Process, Fds + 4);
        _waiter.Process.Files.Install(_read, _writer.Process.Files.Get(_read)!, false);
        _ep = (int)_k.OnCpu(1, () => EpollCreate.Do(_waiter, 0));
    }

    private long Ctl(UserThread t, int op, int fd, int events, ulong data, int? epfd = null)
    {
        PutUInt64(t.Process, Event, (uint)events | (data << 32), data >> 32);
        int ep = epfd ?? _ep;
        return _k.Call(t, () => EpollCtl.Invoke(t, Args(I(ep), I(op), I(fd), Event)));
    }

    private KernelTask<long> StartWait(int timeout)
        => _k.Start(_waiter, () => EpollWait.InvokeWait(_waiter, Args(I(_ep), Events, 4, I(timeout))));

    private long Wait(int timeout)
    {
        KernelTask<long> task = StartWait(timeout);
        _k.Run();
        Assert.True(task.IsCompleted);
        return task.Result;
    }

    private void WriteByte()
    {
        Put(_writer.Process, Data, new byte[] { 1 });
        Assert.Equal(1, _k.Call(_writer, () => ReadWrite.DoWrite(_writer, _write, Data, 1)));
    }

    [Fact]
    public void EdgeTriggered_StillReadable_NewDataWakesBlockedWait()
    {
        Assert.Equal(0, Ctl(_waiter, EpollEvents.EPOLL_CTL_ADD, _read, PollEvents.POLLIN | EpollEvents.EPOLLET, 7));
        WriteByte();
        Assert.Equal(1, Wait(0));
        Assert.Equal((uint)PollEvents.POLLIN, (uint)GetInt32(_waiter.Process, Events));
        Assert.Equal(7UL, GetUInt64(_waiter.Process, Events + 4));
        Assert.Equal(0, Wait(0));
        KernelTask<long> blocked = StartWait(-1);
        _k.Run();
        Assert.False(blocked.IsCompleted);
        WriteByte();
        _k.Run();
        Assert.True(blocked.IsCompleted);
        Assert.Equal(1, blocked.Result);
    }

    [Fact]
    public void LevelTriggered_ReportsWhileReady()
    {
        Assert.Equal(0, Ctl(_waiter, EpollEvents.EPOLL_CTL_ADD, _read, PollEvents.POLLIN, 1));
        WriteByte();
        Assert.Equal(1, Wait(0));
        Assert.Equal(1, Wait(0));
    }

    [Fact]
    public void OneShot_ModFromAnotherProcess_RearmsAndWakesTheWaiter()
    {
        _writer.Process.Files.Install(10, _waiter.Process.Files.Get(_ep)!, false);
        _writer.Process.Files.Install(9, _writer.Process.Files.Get(_read)!, false);
        _waiter.Process.Files.Install(9, _writer.Process.Files.Get(_read)!, false);
        Assert.Equal(0, Ctl(_waiter, EpollEvents.EPOLL_CTL_ADD, 9, PollEvents.POLLIN | EpollEvents.EPOLLONESHOT, 3));
        WriteByte();
        Assert.Equal(1, Wait(0));
        Assert.Equal(0, Wait(0));
        KernelTask<long> blocked = StartWait(-1);
        _k.Run();
        Assert.False(blocked.IsCompleted);
        Assert.Equal(0, Ctl(_writer, EpollEvents.EPOLL_CTL_MOD, 9, PollEvents.POLLIN | EpollEvents.EPOLLONESHOT, 4, epfd: 10));
        _k.Run();
        Assert.True(blocked.IsCompleted);
        Assert.Equal(1, blocked.Result);
        Assert.Equal(4UL, GetUInt64(_waiter.Process, Events + 4));
    }

    [Fact]
    public void ClosedDescription_IsDroppedFromTheSet()
    {
        Assert.Equal(0, Ctl(_waiter, EpollEvents.EPOLL_CTL_ADD, _read, PollEvents.POLLIN, 1));
        WriteByte();
        _waiter.Process.Files.Close(_read);
        _writer.Process.Files.Close(_read);
        Assert.Equal(0, Wait(0));
        Assert.Equal(0, Set.ReadyCount);
    }

    private Epoll Set => ((EpollFile)_waiter.Process.Files.Get(_ep)!).Set;

    // More pipes for the waiter: their read fds (added to the set) and write fds.
    private (int[] reads, int[] writes) Pipes(int count)
    {
        var reads = new int[count];
        var writes = new int[count];
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(0, _k.OnCpu(1, () => PipeCreate.Do(_waiter, Fds, 0)));
            reads[i] = GetInt32(_waiter.Process, Fds);
            writes[i] = GetInt32(_waiter.Process, Fds + 4);
            Assert.Equal(0, Ctl(_waiter, EpollEvents.EPOLL_CTL_ADD, reads[i], PollEvents.POLLIN, (ulong)(100 + i)));
        }
        return (reads, writes);
    }

    // Starts a call that must block until a byte written to writeFd wakes it: its result.
    private long BlocksUntilWritten(Func<KernelTask<long>> call, int writeFd)
    {
        KernelTask<long> blocked = _k.Start(_waiter, call);
        _k.Run();
        Assert.False(blocked.IsCompleted);
        WriteByteTo(writeFd);
        _k.Run();
        Assert.True(blocked.IsCompleted);
        return blocked.Result;
    }

    private void WriteByteTo(int fd)
    {
        Put(_waiter.Process, Data, new byte[] { 1 });
        Assert.Equal(1, _k.Call(_waiter, () => ReadWrite.DoWrite(_waiter, fd, Data, 1)));
    }

    [Fact]
    public void ReadyList_IdleEntriesLeaveIt_AndAWriteBringsOneBack()
    {
        var (_, writes) = Pipes(40);
        Assert.Equal(40, Set.ReadyCount);
        WriteByteTo(writes[17]);
        Assert.Equal(1, Wait(0));
        Assert.Equal(117UL, GetUInt64(_waiter.Process, Events + 4));
        Assert.Equal(1, Set.ReadyCount); // the readable one stays (level-triggered); 39 idle left
        Assert.Equal(1, Wait(0));
        WriteByteTo(writes[3]);
        _k.Run();
        Assert.Equal(2, Set.ReadyCount);
        Assert.Equal(2, Wait(0));
    }

    [Fact]
    public void ReadyList_BlockedWaitWakesForAnIdleEntry()
    {
        var (_, writes) = Pipes(8);
        Assert.Equal(0, Wait(0));
        Assert.Equal(0, Set.ReadyCount);
        Assert.Equal(1, BlocksUntilWritten(() => EpollWait.InvokeWait(_waiter, Args(I(_ep), Events, 4, I(-1))), writes[5]));
        Assert.Equal(105UL, GetUInt64(_waiter.Process, Events + 4));
    }

    [Fact]
    public void ReadyList_NestedSetWakesTheOuterWait()
    {
        var (_, writes) = Pipes(4);
        int outer = (int)_k.OnCpu(1, () => EpollCreate.Do(_waiter, 0));
        Assert.Equal(0, Ctl(_waiter, EpollEvents.EPOLL_CTL_ADD, _ep, PollEvents.POLLIN, 55, epfd: outer));
        Assert.Single(((EpollFile)_waiter.Process.Files.Get(outer)!).Set.Published);
        Assert.Equal(1, BlocksUntilWritten(() => EpollWait.InvokeWait(_waiter, Args(I(outer), Events, 4, I(-1))), writes[2]));
        Assert.Equal(55UL, GetUInt64(_waiter.Process, Events + 4));
    }

    [Fact]
    public void ReadyList_PollOnTheSetWakesForAnIdleEntry()
    {
        var (_, writes) = Pipes(4);
        PutUInt64(_waiter.Process, Fds, (uint)_ep | ((ulong)PollEvents.POLLIN << 32)); // struct pollfd
        Assert.Equal(1, BlocksUntilWritten(() => Poll.InvokePoll(_waiter, Args(Fds, 1, I(-1))), writes[0]));
    }

    [Fact]
    public void ReadyList_DelOfAnIdleEntryDropsItsWatch()
    {
        var (reads, writes) = Pipes(2);
        Assert.Equal(0, Wait(0));
        Assert.Equal(0, Ctl(_waiter, EpollEvents.EPOLL_CTL_DEL, reads[1], 0, 0));
        WriteByteTo(writes[1]);
        _k.Run();
        Assert.Equal(0, Set.ReadyCount);
        Assert.Equal(0, Wait(0));
    }

    [Fact]
    public void Ctl_Errors_FollowLinux()
    {
        Assert.Equal(0, Ctl(_waiter, EpollEvents.EPOLL_CTL_ADD, _read, PollEvents.POLLIN, 1));
        Assert.Equal(Err(Errno.EEXIST), Ctl(_waiter, EpollEvents.EPOLL_CTL_ADD, _read, PollEvents.POLLIN, 1));
        Assert.Equal(Err(Errno.ENOENT), Ctl(_waiter, EpollEvents.EPOLL_CTL_MOD, 0, PollEvents.POLLIN, 1));
        Assert.Equal(Err(Errno.EINVAL), Ctl(_waiter, EpollEvents.EPOLL_CTL_ADD, _ep, PollEvents.POLLIN, 1));
        Assert.Equal(Err(Errno.EBADF), Ctl(_waiter, EpollEvents.EPOLL_CTL_ADD, 77, PollEvents.POLLIN, 1));
        PutString(_waiter.Process, Data, "/etc/passwd");
        int file = (int)_k.Call(_waiter, () => Open.Do(_waiter, PathLookup.AT_FDCWD, Data, OpenFlags.O_RDONLY, 0));
        Assert.True(file >= 0);
        Assert.Equal(Err(Errno.EPERM), Ctl(_waiter, EpollEvents.EPOLL_CTL_ADD, file, PollEvents.POLLIN, 1));
        Assert.Equal(Err(Errno.EINVAL), _k.Call(_waiter, () => EpollWait.InvokeWait(_waiter, Args(I(_ep), Events, 0, 0))));
    }
}
