// Wait4Tests: wait4(2) driven by the deterministic scheduler — a zombie is
// reaped once with its pid and status; WNOHANG answers 0 while a matching
// child lives; ECHILD when none matches; a wait blocks on the caller's CPU
// until the child's exit report arrives there; selection by pid and group.
using Kevlar.Process.Signals;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.Async;
using Xunit;
using static Kevlar.Process.Syscalls.Wait4;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class Wait4Tests
{
    private const ulong Status = Scratch, Usage = Scratch + 0x100;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;

    public Wait4Tests()
    {
        _p = _k.NewProcess(cpu: 0);
    }

    private KernelTask<long> Wait(int pid, int options = 0, ulong status = Status, ulong usage = 0)
        => _k.OnCpu(_p.MainThread.Home, () => Wait4.Do(_p.MainThread, pid, status, options, usage));

    private long WaitNow(int pid, int options = 0, ulong status = Status, ulong usage = 0)
    {
        KernelTask<long> task = Wait(pid, options, status, usage);
        Assert.True(task.IsCompleted, "wait4 blocked");
        return task.Result;
    }

    private UserProcess ExitedChild(int status)
    {
        UserProcess c = _k.NewProcess(_p, cpu: 1);
        c.ExitGroup(status);
        _k.Run();
        return c;
    }

    [Fact]
    public void Do_ExitedChild_ReturnsItsPidAndStatusOnce()
    {
        UserProcess c = ExitedChild(WaitStatus.Exited(3));
        int count = _k.Host.ProcessCount;

        Assert.Equal(c.Pid, WaitNow(-1));

        Assert.Equal(0x0300, GetInt32(_p, Status));
        Assert.Null(_k.Host.Table.Find(c.Pid));
        Assert.Equal(count - 1, _k.Host.ProcessCount);
        Assert.Empty(_p.Zombies);
        Assert.Equal(Err(Errno.ECHILD), WaitNow(-1));
    }

    [Fact]
    public void Do_KilledChild_ReturnsTheSignalStatus()
    {
        UserProcess c = ExitedChild(WaitStatus.Killed(Signal.SIGSEGV, false));

        Assert.Equal(c.Pid, WaitNow(c.Pid));

        Assert.Equal(Signal.SIGSEGV, GetInt32(_p, Status));
    }

    [Fact]
    public void Do_NullStatusPointer_ReapsWithoutWriting()
    {
        UserProcess c = ExitedChild(WaitStatus.Exited(1));

        Assert.Equal(c.Pid, WaitNow(-1, status: 0));
    }

    [Fact]
    public void Do_WnohangWhileTheChildLives_ReturnsZero()
    {
        UserProcess c = _k.NewProcess(_p, cpu: 1);

        Assert.Equal(0, WaitNow(-1, WNOHANG));
        Assert.Equal(0, WaitNow(c.Pid, WNOHANG));
        Assert.Contains(c, _p.Children);
    }

    [Fact]
    public void Do_NoChildren_ReturnsEchild()
    {
        Assert.Equal(Err(Errno.ECHILD), WaitNow(-1));
        Assert.Equal(Err(Errno.ECHILD), WaitNow(-1, WNOHANG));
    }

    [Fact]
    public void Do_PidThatIsNotAChild_ReturnsEchild()
    {
        _k.NewProcess(_p, cpu: 1);
        UserProcess stranger = _k.NewProcess(cpu: 1);

        Assert.Equal(Err(Errno.ECHILD), WaitNow(stranger.Pid));
        Assert.Equal(Err(Errno.ECHILD), WaitNow(_p.Pid));
    }

    [Fact]
    public void Do_UnknownOption_ReturnsEinval()
    {
        ExitedChild(0);

        Assert.Equal(Err(Errno.EINVAL), WaitNow(-1, 0x4));
    }

    [Fact]
    public void Do_PidIntMin_ReturnsEsrch()
    {
        Assert.Equal(Err(Errno.ESRCH), WaitNow(int.MinValue));
    }

    [Fact]
    public void Do_LiveChild_BlocksUntilItsExitReportArrives()
    {
        UserProcess c = _k.NewProcess(_p, cpu: 1);

        KernelTask<long> task = Wait(-1);
        Assert.False(task.IsCompleted);
        _k.Run();
        Assert.False(task.IsCompleted);

        c.MainThread.ExitGroup(WaitStatus.Exited(9));
        _k.Run();

        Assert.True(task.IsCompleted);
        Assert.Equal(c.Pid, task.Result);
        Assert.Equal(0x0900, GetInt32(_p, Status));
        Assert.Empty(_p.Zombies);
    }

    [Fact]
    public void Do_WaitingForOneChild_IgnoresTheExitOfAnother()
    {
        UserProcess wanted = _k.NewProcess(_p, cpu: 1);
        UserProcess other = _k.NewProcess(_p, cpu: 1);

        KernelTask<long> task = Wait(wanted.Pid);
        other.ExitGroup(WaitStatus.Exited(1));
        _k.Run();
        Assert.False(task.IsCompleted);
        Assert.Contains(other, _p.Zombies);

        wanted.ExitGroup(WaitStatus.Exited(2));
        _k.Run();

        Assert.Equal(wanted.Pid, task.Result);
        Assert.Equal(other.Pid, WaitNow(-1));
    }

    [Fact]
    public void Do_ProcessGroupSelectors_MatchByGroup()
    {
        UserProcess same = _k.NewProcess(_p, cpu: 1);
        same.ProcessGroup = _p.ProcessGroup;
        UserProcess own = _k.NewProcess(_p, cpu: 1); // its own group
        same.ExitGroup(0);
        own.ExitGroup(0);
        _k.Run();

        Assert.Equal(same.Pid, WaitNow(0));
        Assert.Equal(Err(Errno.ECHILD), WaitNow(0));
        Assert.Equal(own.Pid, WaitNow(-own.Pid));
    }

    [Fact]
    public void Do_BadStatusPointer_ReturnsEfault()
    {
        ExitedChild(0);

        Assert.Equal(Err(Errno.EFAULT), WaitNow(-1, status: 0x30_0000));
    }

    [Fact]
    public void Do_Rusage_CarriesTheChildsCpuTime()
    {
        UserProcess c = _k.NewProcess(_p, cpu: 1);
        c.MainThread.UserNanoseconds = 1_500_000_000;
        c.MainThread.SystemNanoseconds = 2_000_250_000;
        c.ExitGroup(0);
        _k.Run();

        Assert.Equal(c.Pid, WaitNow(-1, usage: Usage));

        Assert.Equal(new ulong[] { 1, 500_000, 2, 250 }, Enumerable.Range(0, 4).Select(i => GetUInt64(_p, Usage + (ulong)i * 8)));
        Assert.Equal((1_500_000_000UL, 2_000_250_000UL), (_p.ChildrenUserNanoseconds, _p.ChildrenSystemNanoseconds));
    }

    [Fact]
    public void Do_InitAfterAnOrphansExit_ReapsIt()
    {
        UserProcess orphan = _k.NewProcess(_p, cpu: 1);
        _p.ExitGroup(0);
        _k.Run();
        orphan.ExitGroup(WaitStatus.Exited(6));
        _k.Run();
        UserThread init = _k.Init.MainThread;

        var reaped = new List<long>();
        for (long r; (r = _k.OnCpu(init.Home, () => Wait4.Do(init, -1, 0, WNOHANG, 0)).Result) > 0;) reaped.Add(r);

        Assert.Equal(new long[] { _p.Pid, orphan.Pid }.Order(), reaped.Order());
    }

    [Fact]
    public void Invoke_FromRegisters_DecodesPidStatusOptions()
    {
        UserProcess c = ExitedChild(WaitStatus.Exited(8));

        KernelTask<long> task = _k.OnCpu(0, () => Wait4.Invoke(_p.MainThread, Args(I(-1), Status, 0, 0)));

        Assert.Equal(c.Pid, task.Result);
        Assert.Equal(0x0800, GetInt32(_p, Status));
    }

    [Fact]
    public void Do_WaitAbandonedBySignal_DoesNotReapALaterExit()
    {
        UserProcess c = _k.NewProcess(_p, cpu: 1);
        KernelTask<long> interrupted = Wait(-1);
        Assert.False(interrupted.IsCompleted);
        // A handled signal ends the wait with EINTR here: the thread forgets the task and the event it
        // waited on (UserThread.InterruptForSignal), so a later exit report finds no waiter.
        _p.MainThread.WaitEvent = null;

        c.ExitGroup(WaitStatus.Exited(5));
        _k.Run();

        Assert.Contains(c, _p.Zombies);
        Assert.Equal(c.Pid, WaitNow(-1));
    }
}
