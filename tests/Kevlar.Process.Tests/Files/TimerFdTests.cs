// TimerFdTests: a timerfd's expirations driven by the timer service's
// messages to its owner actor (FakeTimers fires them), counted by the clock,
// a blocked read woken by the tick, and a tick from an older setting dropped
// (its timer called off, as is the timer of a timerfd whose last fd closed).
using Kevlar.Process.Files.Events;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.Async;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Files;

public class TimerFdTests
{
    private const ulong Ms = 1_000_000;
    private const ulong Spec = Scratch + 0x100, Old = Scratch + 0x200, Out = Scratch + 0x300;
    private readonly ProcessHarness _k = new();

    private int Create(UserThread t, int clock, int flags) => (int)_k.OnCpu(t.Home, () => Timerfd.Create(t, clock, flags));

    // struct itimerspec { it_interval; it_value; }
    private long Set(UserThread t, int fd, ulong value, ulong interval, int flags = 0)
    {
        PutUInt64(t.Process, Spec, interval / 1_000_000_000, interval % 1_000_000_000, value / 1_000_000_000, value % 1_000_000_000);
        return _k.Call(t, () => Timerfd.InvokeSettime(t, Args(I(fd), I(flags), Spec, Old)));
    }

    private ulong Left(UserThread t, int fd)
    {
        Assert.Equal(0, _k.Call(t, () => Timerfd.InvokeGettime(t, Args(I(fd), Old))));
        return GetUInt64(t.Process, Old + 16) * 1_000_000_000 + GetUInt64(t.Process, Old + 24);
    }

    [Fact]
    public void Read_BeforeExpiry_WaitsForTheTick()
    {
        UserThread t = _k.NewProcess(cpu: 1).MainThread;
        int fd = Create(t, TimerFd.CLOCK_MONOTONIC, 0);
        Assert.Equal(0, Set(t, fd, 50 * Ms, 0));
        Assert.Single(_k.Timers.Pending);
        KernelTask<long> read = _k.Start(t, () => ReadWrite.DoRead(t, fd, Out, 8));
        _k.Run();
        Assert.False(read.IsCompleted);
        _k.Clock.MonotonicNanoseconds += 50 * Ms;
        _k.Timers.FireDue(_k.Clock.MonotonicNanoseconds);
        _k.Run();
        Assert.True(read.IsCompleted);
        Assert.Equal(8, read.Result);
        Assert.Equal(1UL, GetUInt64(t.Process, Out));
        Assert.Equal(0UL, Left(t, fd));
    }

    [Fact]
    public void Read_Interval_CountsEveryPeriodPassed()
    {
        UserThread t = _k.NewProcess(cpu: 0).MainThread;
        int fd = Create(t, TimerFd.CLOCK_MONOTONIC, Timerfd.TFD_NONBLOCK);
        Set(t, fd, 10 * Ms, 10 * Ms);
        _k.Clock.MonotonicNanoseconds += 35 * Ms;
        Assert.Equal(8, _k.Call(t, () => ReadWrite.DoRead(t, fd, Out, 8)));
        Assert.Equal(3UL, GetUInt64(t.Process, Out));
        Assert.Equal(5 * Ms, Left(t, fd));
        Assert.Equal(Err(Errno.EAGAIN), _k.Call(t, () => ReadWrite.DoRead(t, fd, Out, 8)));
    }

    [Fact]
    public void Settime_Again_CallsTheOlderTimerOff_AndCloseTheLast()
    {
        UserThread t = _k.NewProcess(cpu: 0).MainThread;
        int fd = Create(t, TimerFd.CLOCK_MONOTONIC, Timerfd.TFD_NONBLOCK);
        Set(t, fd, 3_600_000 * Ms, 0);
        Set(t, fd, 7_200_000 * Ms, 0);
        Assert.Equal(2, _k.Timers.Handles.Count);
        Assert.True(_k.Timers.Handles[0].Handle.IsCancelled);
        Assert.False(_k.Timers.Handles[1].Handle.IsCancelled);

        Assert.Equal(0, _k.Call(t, () => KernelTask<long>.FromResult(Close.Invoke(t, Args(I(fd))))));
        _k.Run();

        Assert.True(_k.Timers.Handles[1].Handle.IsCancelled);
        Assert.Empty(_k.Timers.Armed);
    }

    [Fact]
    public void Tick_FromAnOlderSetting_IsDropped()
    {
        UserThread t = _k.NewProcess(cpu: 0).MainThread;
        int fd = Create(t, TimerFd.CLOCK_MONOTONIC, Timerfd.TFD_NONBLOCK);
        Set(t, fd, 10 * Ms, 0);
        Set(t, fd, 100 * Ms, 0);
        Assert.Equal(10 * Ms, GetUInt64(t.Process, Old + 24));
        _k.Clock.MonotonicNanoseconds += 10 * Ms;
        _k.Timers.FireDue(_k.Clock.MonotonicNanoseconds);
        _k.Run();
        Assert.Equal(Err(Errno.EAGAIN), _k.Call(t, () => ReadWrite.DoRead(t, fd, Out, 8)));
        Assert.Equal(90 * Ms, Left(t, fd));
    }

    [Fact]
    public void Set_RealtimeAbsolute_ConvertsToTheMonotonicDeadline()
    {
        UserThread t = _k.NewProcess(cpu: 0).MainThread;
        int fd = Create(t, TimerFd.CLOCK_REALTIME, Timerfd.TFD_NONBLOCK);
        ulong realNow = _k.Clock.RealtimeAtBoot + _k.Clock.MonotonicNanoseconds;
        Set(t, fd, realNow + 20 * Ms, 0, Timerfd.TFD_TIMER_ABSTIME);
        Assert.Equal(20 * Ms, Left(t, fd));
        Assert.Equal(_k.Clock.MonotonicNanoseconds + 20 * Ms, _k.Timers.Pending[0].Deadline);
    }

    [Fact]
    public void Create_BadClockOrFlags_IsInvalid()
    {
        UserThread t = _k.NewProcess(cpu: 0).MainThread;
        Assert.Equal(Err(Errno.EINVAL), (long)Create(t, 2, 0));
        Assert.Equal(Err(Errno.EINVAL), (long)Create(t, TimerFd.CLOCK_MONOTONIC, 1));
        Assert.True(Create(t, TimerFd.CLOCK_BOOTTIME, 0) >= 0);
    }
}
