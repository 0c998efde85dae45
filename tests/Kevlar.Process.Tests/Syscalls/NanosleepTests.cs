// NanosleepTests: nanosleep(2) waits on the timer service without holding the
// CPU — a request to FakeTimers, completed when the timer's message arrives
// once the clock has reached the deadline (an early message only re-arms it);
// a bad timespec is EINVAL, a zero sleep returns at once. A sleep that ends
// before its deadline (the process killed) calls its timer off, so the timer
// queue does not hold the dead thread until the deadline.
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Devices;
using Xunit;
using static Kevlar.Process.Signals.Signal;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class NanosleepTests
{
    private const ulong Request = Scratch, Remaining = Scratch + 0x10;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;

    public NanosleepTests()
    {
        _p = _k.NewProcess(cpu: 1);
    }

    private KernelTask<long> Sleep(ulong seconds, ulong nanoseconds)
    {
        PutUInt64(_p, Request, seconds, nanoseconds);
        return _k.OnCpu(1, () => Nanosleep.InvokeNanosleep(_p.MainThread, Args(Request, Remaining)));
    }

    [Fact]
    public void Invoke_OneAndAHalfSeconds_AsksForATimerAndEndsWhenItFires()
    {
        ulong start = _k.Clock.MonotonicNanoseconds;

        KernelTask<long> task = Sleep(1, 500_000_000);

        Assert.False(task.IsCompleted);
        FakeTimers.Request timer = Assert.Single(_k.Timers.Pending);
        Assert.Equal((start + 1_500_000_000, (Kevlar.Runtime.Scheduling.Actor)_p.MainThread), (timer.Deadline, timer.Target));
        _k.Clock.MonotonicNanoseconds = timer.Deadline;
        _k.Timers.FireDue(_k.Clock.MonotonicNanoseconds);
        _k.Run();
        Assert.True(task.IsCompleted);
        Assert.Equal(0, task.Result);
        Assert.Null(_p.MainThread.WaitEvent);
    }

    [Fact]
    public void Invoke_TimerMessageBeforeTheDeadline_ArmsTheTimerAgain()
    {
        KernelTask<long> task = Sleep(2, 0);
        FakeTimers.Request first = _k.Timers.Pending[0];

        _k.Timers.Fire(first);
        _k.Run();

        Assert.False(task.IsCompleted);
        Assert.Equal(first.Deadline, Assert.Single(_k.Timers.Pending).Deadline);
    }

    [Fact]
    public void Invoke_KilledWhileAsleepForYears_CallsTheTimerOff()
    {
        KernelTask<long> task = Sleep(1_000_000_000, 0);
        TimerHandle timer = Assert.Single(_k.Timers.Handles).Handle;
        UserProcess killer = _k.NewProcess(cpu: 0);

        Assert.Equal(0, _k.OnCpu(0, () => Kill.DoKill(killer.MainThread, _p.Pid, SIGKILL)));
        _k.Run();

        Assert.True(_p.Exited);
        Assert.True(timer.IsCancelled);
        Assert.Empty(_k.Timers.Armed);
        Assert.False(timer.TryFire(out _, out _));
    }

    [Fact]
    public void Invoke_Zero_CompletesAtOnceWithoutATimer()
    {
        KernelTask<long> task = Sleep(0, 0);

        Assert.True(task.IsCompleted);
        Assert.Equal(0, task.Result);
        Assert.Empty(_k.Timers.Pending);
    }

    [Theory]
    [InlineData(0UL, 1_000_000_000UL)]
    [InlineData(ulong.MaxValue, 0UL)] // tv_sec -1
    public void Invoke_BadTimespec_ReturnsEinval(ulong seconds, ulong nanoseconds)
    {
        Assert.Equal(Err(Errno.EINVAL), Sleep(seconds, nanoseconds).Result);
    }

    [Fact]
    public void Invoke_TimespecUnmapped_ReturnsEfault()
    {
        KernelTask<long> task = _k.OnCpu(1, () => Nanosleep.InvokeNanosleep(_p.MainThread, Args(0x30_0000, 0)));

        Assert.Equal(Err(Errno.EFAULT), task.Result);
    }
}
