// SignalFdTests: a signalfd reads the caller's pending signals inline; a
// read or poll that finds none waits without a CPU and is woken when a
// signal sent from another CPU (a SignalMessage to the thread) becomes
// pending there (SignalDelivery.Raise → UserProcess.SignalBecamePending).
using Kevlar.Process.Files.Events;
using Kevlar.Process.Signals;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.Async;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Files;

public class SignalFdTests
{
    private const ulong Mask = Scratch + 0x100, Out = Scratch + 0x400, PollFd = Scratch + 0x200;
    private static readonly ulong Usr1 = 1UL << (Signal.SIGUSR1 - 1), Usr2 = 1UL << (Signal.SIGUSR2 - 1);
    private readonly ProcessHarness _k = new();
    private readonly UserThread _t;

    public SignalFdTests()
    {
        _t = _k.NewProcess(cpu: 1).MainThread;
        _t.SignalMask = Usr1 | Usr2;
    }

    private int Create(ulong mask, int flags)
    {
        PutUInt64(_t.Process, Mask, mask);
        return (int)_k.OnCpu(1, () => Signalfd.Do(_t, -1, Mask, 8, flags));
    }

    private void SendFromCpu0(int signal)
        => _k.OnCpu(0, () =>
        {
            _k.Scheduler.Send(_t, new SignalMessage(signal, SignalInfo.SI_USER, 42, 0, true));
            return 0;
        });

    [Fact]
    public void Read_PendingSignals_TakesThemLowestFirst()
    {
        int fd = Create(Usr1 | Usr2 | (1UL << (Signal.SIGKILL - 1)), Signalfd.SFD_NONBLOCK);
        SendFromCpu0(Signal.SIGUSR2);
        SendFromCpu0(Signal.SIGUSR1);
        _k.Run();
        Assert.Equal(256, _k.Call(_t, () => ReadWrite.DoRead(_t, fd, Out, 300)));
        Assert.Equal(Signal.SIGUSR1, GetInt32(_t.Process, Out));
        Assert.Equal(42, GetInt32(_t.Process, Out + 12));
        Assert.Equal(Signal.SIGUSR2, GetInt32(_t.Process, Out + 128));
        Assert.Equal(0UL, _t.PendingSignals);
        Assert.Equal(Err(Errno.EAGAIN), _k.Call(_t, () => ReadWrite.DoRead(_t, fd, Out, 128)));
        Assert.Equal(Usr1 | Usr2, ((SignalFdFile)_t.Process.Files.Get(fd)!).Mask);
    }

    [Fact]
    public void Read_NothingPending_WokenBySignalFromAnotherCpu()
    {
        int fd = Create(Usr1, 0);
        KernelTask<long> read = _k.Start(_t, () => ReadWrite.DoRead(_t, fd, Out, 128));
        _k.Run();
        Assert.False(read.IsCompleted);
        SendFromCpu0(Signal.SIGUSR2); // not in the mask: the read asks again and waits on
        _k.Run();
        Assert.False(read.IsCompleted);
        SendFromCpu0(Signal.SIGUSR1);
        _k.Run();
        Assert.True(read.IsCompleted);
        Assert.Equal(128, read.Result);
        Assert.Equal(Signal.SIGUSR1, GetInt32(_t.Process, Out));
        Assert.Equal(Usr2, _t.PendingSignals);
    }

    [Fact]
    public void Poll_NothingPending_WokenBySignalFromAnotherCpu()
    {
        int fd = Create(Usr1, 0);
        PutUInt64(_t.Process, PollFd, (uint)fd | ((ulong)Kevlar.Process.Files.PollEvents.POLLIN << 32));
        KernelTask<long> poll = _k.Start(_t, () => Poll.InvokePoll(_t, Args(PollFd, 1, I(-1))));
        _k.Run();
        Assert.False(poll.IsCompleted);
        SendFromCpu0(Signal.SIGUSR1);
        _k.Run();
        Assert.True(poll.IsCompleted);
        Assert.Equal(1, poll.Result);
        Assert.Equal(Usr1, _t.PendingSignals); // poll does not take it
    }

    [Fact]
    public void Create_BadArguments_FollowLinux()
    {
        PutUInt64(_t.Process, Mask, Usr1);
        Assert.Equal(Err(Errno.EINVAL), _k.OnCpu(1, () => Signalfd.Do(_t, -1, Mask, 4, 0)));
        Assert.Equal(Err(Errno.EFAULT), _k.OnCpu(1, () => Signalfd.Do(_t, -1, 0x10, 8, 0)));
        Assert.Equal(Err(Errno.EINVAL), _k.OnCpu(1, () => Signalfd.Do(_t, -1, Mask, 8, 1)));
        Assert.Equal(Err(Errno.EINVAL), _k.OnCpu(1, () => Signalfd.Do(_t, 0, Mask, 8, 0)));
        Assert.Equal(Err(Errno.EBADF), _k.OnCpu(1, () => Signalfd.Do(_t, 50, Mask, 8, 0)));
    }
}
