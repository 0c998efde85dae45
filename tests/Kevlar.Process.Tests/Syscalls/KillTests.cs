// KillTests: kill(2) — to the caller itself the signal acts before the call
// returns (default actions: terminate, ignore, stay pending when blocked or a
// stop); to others it travels as a message and acts on the target's CPU;
// permission by uid, ESRCH for no target, EINVAL for a bad signal.
using Kevlar.Process.Signals;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Signals.Signal;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class KillTests
{
    private readonly ProcessHarness _k = new();

    private static ulong Bit(int signal) => 1UL << (signal - 1);

    [Fact]
    public void DoKill_SelfSigterm_KillsBeforeTheCallReturns()
    {
        UserProcess p = _k.NewProcess();

        Assert.Equal(0, Kill.DoKill(p.MainThread, p.Pid, SIGTERM));

        Assert.True(p.Exited);
        Assert.Equal(WaitStatus.Killed(SIGTERM, false), p.ExitWaitStatus);
    }

    [Fact]
    public void DoKill_SelfSigkillWhileEverythingElseIsBlocked_Kills()
    {
        UserProcess p = _k.NewProcess();
        p.MainThread.SignalMask = ~(Bit(SIGKILL) | Bit(SIGSTOP));

        Assert.Equal(0, Kill.DoKill(p.MainThread, p.Pid, SIGKILL));

        Assert.Equal(WaitStatus.Killed(SIGKILL, false), p.ExitWaitStatus);
    }

    [Fact]
    public void DoKill_SelfSigchld_IsIgnored()
    {
        UserProcess p = _k.NewProcess();

        Assert.Equal(0, Kill.DoKill(p.MainThread, p.Pid, SIGCHLD));

        Assert.False(p.Exited);
        Assert.Equal(0UL, p.MainThread.PendingSignals);
    }

    [Fact]
    public void DoKill_SelfBlockedSigterm_StaysPendingWithTheSender()
    {
        UserProcess p = _k.NewProcess(uid: 1000);
        p.MainThread.SignalMask = Bit(SIGTERM);

        Assert.Equal(0, Kill.DoKill(p.MainThread, p.Pid, SIGTERM));

        Assert.False(p.Exited);
        Assert.Equal(Bit(SIGTERM), p.MainThread.PendingSignals);
        SignalInfo info = p.MainThread.PendingInfo[SIGTERM];
        Assert.Equal((SignalInfo.SI_USER, p.Pid, 1000u), (info.Code, info.Pid, info.Uid));
    }

    [Fact]
    public void DoKill_SelfSigstopThenSigcont_StopsThenRuns()
    {
        UserProcess p = _k.NewProcess();

        Assert.Equal(0, Kill.DoKill(p.MainThread, p.Pid, SIGSTOP));

        Assert.False(p.Exited);
        Assert.True(p.Stopped);
        Assert.Equal(0UL, p.MainThread.PendingSignals);
        Assert.Equal(0, Kill.DoKill(p.MainThread, p.Pid, SIGCONT));
        Assert.False(p.Stopped);
    }

    [Fact]
    public void DoKill_SignalZero_OnlyChecks()
    {
        UserProcess p = _k.NewProcess();

        Assert.Equal(0, Kill.DoKill(p.MainThread, p.Pid, 0));

        Assert.False(p.Exited);
        Assert.Equal(0UL, p.MainThread.PendingSignals);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65)]
    public void DoKill_SignalOutOfRange_ReturnsEinval(int signal)
    {
        UserProcess p = _k.NewProcess();

        Assert.Equal(Err(Errno.EINVAL), Kill.DoKill(p.MainThread, p.Pid, signal));
    }

    [Theory]
    [InlineData(4242)]
    [InlineData(int.MinValue)]
    [InlineData(-4242)]
    public void DoKill_NoSuchProcessOrGroup_ReturnsEsrch(int pid)
    {
        UserProcess p = _k.NewProcess();

        Assert.Equal(Err(Errno.ESRCH), Kill.DoKill(p.MainThread, pid, SIGTERM));
    }

    [Fact]
    public void DoKill_AnotherUsersProcess_ReturnsEpermAndSendsNothing()
    {
        UserProcess sender = _k.NewProcess(uid: 1000);
        UserProcess target = _k.NewProcess(cpu: 1, uid: 2000);

        Assert.Equal(Err(Errno.EPERM), Kill.DoKill(sender.MainThread, target.Pid, SIGTERM));
        _k.Run();

        Assert.False(target.Exited);
    }

    [Fact]
    public void DoKill_TargetWhoseSavedUidMatches_IsAllowed()
    {
        UserProcess sender = _k.NewProcess(uid: 1000);
        UserProcess target = _k.NewProcess(cpu: 1, uid: 2000);
        target.Suid = 1000;

        Assert.Equal(0, Kill.DoKill(sender.MainThread, target.Pid, 0));
    }

    [Fact]
    public void DoKill_RootToAnotherProcess_KillsItOnItsCpuAndItsParentGetsTheZombie()
    {
        UserProcess sender = _k.NewProcess(uid: 0);
        UserProcess target = _k.NewProcess(cpu: 1, uid: 2000);

        Assert.Equal(0, Kill.DoKill(sender.MainThread, target.Pid, SIGTERM));
        Assert.False(target.Exited);
        _k.Run();

        Assert.Equal(WaitStatus.Killed(SIGTERM, false), target.ExitWaitStatus);
        Assert.Contains(target, _k.Init.Zombies);
    }

    [Fact]
    public void DoKill_ProcessGroup_ReachesEveryMemberIncludingTheCaller()
    {
        UserProcess a = _k.NewProcess();
        UserProcess b = _k.NewProcess(cpu: 1);
        UserProcess outsider = _k.NewProcess();
        b.ProcessGroup = a.Pid;

        Assert.Equal(0, Kill.DoKill(a.MainThread, 0, SIGTERM));
        _k.Run();

        Assert.True(a.Exited);
        Assert.True(b.Exited);
        Assert.False(outsider.Exited);
    }

    [Fact]
    public void DoKill_MinusOne_ReachesEveryoneButInitAndTheCaller()
    {
        UserProcess caller = _k.NewProcess();
        UserProcess other = _k.NewProcess(cpu: 1);

        Assert.Equal(0, Kill.DoKill(caller.MainThread, -1, SIGTERM));
        _k.Run();

        Assert.True(other.Exited);
        Assert.False(caller.Exited);
        Assert.False(_k.Init.Exited);
    }

    [Fact]
    public void DoKill_AZombie_SucceedsAndChangesNothing()
    {
        UserProcess sender = _k.NewProcess();
        UserProcess zombie = _k.NewProcess(cpu: 1);
        zombie.MainThread.ExitGroup(WaitStatus.Exited(4));
        _k.Run();

        Assert.Equal(0, Kill.DoKill(sender.MainThread, zombie.Pid, SIGKILL));
        _k.Run();

        Assert.Equal(WaitStatus.Exited(4), zombie.ExitWaitStatus);
    }

    [Fact]
    public void DoKill_InitWithADefaultActionSignal_IsIgnored()
    {
        UserProcess root = _k.NewProcess(uid: 0);

        Assert.Equal(0, Kill.DoKill(root.MainThread, 1, SIGTERM));
        Assert.Equal(0, Kill.DoKill(root.MainThread, 1, SIGKILL));
        _k.Run();

        Assert.False(_k.Init.Exited);
        Assert.Empty(_k.Control.Statuses);
    }

    [Fact]
    public void Tgkill_DifferentTgidAndTid_ReturnsEsrch()
    {
        UserProcess p = _k.NewProcess();

        Assert.Equal(Err(Errno.ESRCH), Kill.InvokeTgkill(p.MainThread, Args((ulong)p.Pid, 999, SIGTERM)));
        Assert.Equal(Err(Errno.EINVAL), Kill.InvokeTgkill(p.MainThread, Args(0, 1, SIGTERM)));
        Assert.Equal(Err(Errno.EINVAL), Kill.InvokeTkill(p.MainThread, Args(0, SIGTERM)));
    }

    [Fact]
    public void Tkill_Self_RaisesWithSiTkill()
    {
        UserProcess p = _k.NewProcess();
        p.MainThread.SignalMask = Bit(SIGUSR1);

        Assert.Equal(0, Kill.InvokeTkill(p.MainThread, Args((ulong)p.Pid, SIGUSR1)));

        Assert.Equal(SignalInfo.SI_TKILL, p.MainThread.PendingInfo[SIGUSR1].Code);
    }
}
