// SigactionTests: rt_sigaction(2), rt_sigprocmask(2), rt_sigpending(2),
// sigaltstack(2) — struct kernel_sigaction and stack_t in user memory,
// sigsetsize 8, SIGKILL and SIGSTOP neither caught nor blocked, and Linux's
// errno for each bad input.
using Kevlar.Process.Signals;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Signals.Signal;
using static Kevlar.Process.Signals.SignalAction;
using static Kevlar.Process.Syscalls.Sigaction;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class SigactionTests
{
    private const ulong New = Scratch, Old = Scratch + 0x100, AltBase = Scratch + 0x8000;
    private const int SS_ONSTACK = 1, SS_DISABLE = 2;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public SigactionTests()
    {
        _p = _k.NewProcess();
        _t = _p.MainThread;
    }

    private static ulong Bit(int signal) => 1UL << (signal - 1);

    private long SetAction(int signal, ulong handler, ulong flags, ulong mask, ulong oldAt = 0)
    {
        PutUInt64(_p, New, handler, flags, 0x40_9000, mask);
        return InvokeSigaction(_t, Args(I(signal), New, oldAt, 8));
    }

    private long Procmask(int how, ulong? set, ulong oldAt = 0)
    {
        if (set is ulong s) PutUInt64(_p, New, s);
        return InvokeSigprocmask(_t, Args(I(how), set.HasValue ? New : 0, oldAt, 8));
    }

    [Fact]
    public void Sigaction_SetThenQuery_ReturnsTheOldActionAsKernelSigaction()
    {
        Assert.Equal(0, SetAction(SIGUSR1, 0x40_8000, SA_SIGINFO | SA_RESTORER, Bit(SIGUSR2)));

        Assert.Equal(0, InvokeSigaction(_t, Args(SIGUSR1, 0, Old, 8)));

        Assert.Equal(new[] { 0x40_8000UL, SA_SIGINFO | SA_RESTORER, 0x40_9000UL, Bit(SIGUSR2) },
            Enumerable.Range(0, 4).Select(i => GetUInt64(_p, Old + (ulong)i * 8)));
    }

    [Fact]
    public void Sigaction_NewAndOld_OldIsTheActionBefore()
    {
        SetAction(SIGINT, SIG_IGN, 0, 0);

        Assert.Equal(0, SetAction(SIGINT, 0x40_8000, SA_RESTORER, 0, Old));

        Assert.Equal(SIG_IGN, GetUInt64(_p, Old));
        Assert.Equal(0x40_8000UL, _p.SignalActions.Get(SIGINT).Handler);
    }

    [Fact]
    public void Sigaction_MaskWithKillAndStop_DropsThem()
    {
        SetAction(SIGUSR1, 0x40_8000, SA_RESTORER, Bit(SIGKILL) | Bit(SIGSTOP) | Bit(SIGHUP));

        Assert.Equal(Bit(SIGHUP), _p.SignalActions.Get(SIGUSR1).Mask);
    }

    [Theory]
    [InlineData(SIGKILL)]
    [InlineData(SIGSTOP)]
    public void Sigaction_ChangeKillOrStop_ReturnsEinval(int signal)
    {
        Assert.Equal(Err(Errno.EINVAL), SetAction(signal, SIG_IGN, 0, 0));
        Assert.Equal(Err(Errno.EINVAL), SetAction(signal, 0x40_8000, SA_RESTORER, 0));

        Assert.Equal(SIG_DFL, _p.SignalActions.Get(signal).Handler);
    }

    [Fact]
    public void Sigaction_QueryKill_Succeeds()
    {
        Assert.Equal(0, InvokeSigaction(_t, Args(SIGKILL, 0, Old, 8)));
        Assert.Equal(SIG_DFL, GetUInt64(_p, Old));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    [InlineData(-1)]
    public void Sigaction_SignalOutOfRange_ReturnsEinval(int signal)
    {
        Assert.Equal(Err(Errno.EINVAL), SetAction(signal, SIG_IGN, 0, 0));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(16)]
    public void Sigaction_SigsetsizeNotEight_ReturnsEinval(ulong size)
    {
        PutUInt64(_p, New, SIG_IGN, 0, 0, 0);

        Assert.Equal(Err(Errno.EINVAL), InvokeSigaction(_t, Args(SIGUSR1, New, 0, size)));
    }

    [Fact]
    public void Sigaction_BadPointers_ReturnEfault()
    {
        Assert.Equal(Err(Errno.EFAULT), InvokeSigaction(_t, Args(SIGUSR1, 0x30_0000, 0, 8)));
        Assert.Equal(Err(Errno.EFAULT), InvokeSigaction(_t, Args(SIGUSR1, 0, 0x30_0000, 8)));
    }

    [Fact]
    public void Sigprocmask_BlockUnblockSetmask_ComposeAsLinuxDoes()
    {
        Assert.Equal(0, Procmask(SIG_BLOCK, Bit(SIGINT) | Bit(SIGTERM)));
        Assert.Equal(0, Procmask(SIG_UNBLOCK, Bit(SIGINT)));
        Assert.Equal(Bit(SIGTERM), _t.SignalMask);

        Assert.Equal(0, Procmask(SIG_SETMASK, Bit(SIGHUP), Old));

        Assert.Equal(Bit(SIGHUP), _t.SignalMask);
        Assert.Equal(Bit(SIGTERM), GetUInt64(_p, Old));
    }

    [Fact]
    public void Sigprocmask_KillAndStop_AreNeverBlocked()
    {
        Assert.Equal(0, Procmask(SIG_SETMASK, ulong.MaxValue));

        Assert.Equal(ulong.MaxValue & ~(Bit(SIGKILL) | Bit(SIGSTOP)), _t.SignalMask);
    }

    [Fact]
    public void Sigprocmask_BadHowWithASet_ReturnsEinval()
    {
        Assert.Equal(Err(Errno.EINVAL), Procmask(3, Bit(SIGINT)));
        Assert.Equal(0UL, _t.SignalMask);
    }

    [Fact]
    public void Sigprocmask_BadHowWithoutASet_OnlyReportsTheMask()
    {
        _t.SignalMask = Bit(SIGINT);

        Assert.Equal(0, Procmask(99, null, Old));

        Assert.Equal(Bit(SIGINT), GetUInt64(_p, Old));
    }

    [Fact]
    public void Sigprocmask_SigsetsizeNotEightOrBadPointer_Fails()
    {
        Assert.Equal(Err(Errno.EINVAL), InvokeSigprocmask(_t, Args(SIG_BLOCK, New, 0, 4)));
        Assert.Equal(Err(Errno.EFAULT), InvokeSigprocmask(_t, Args(SIG_BLOCK, 0x30_0000, 0, 8)));
        Assert.Equal(Err(Errno.EFAULT), InvokeSigprocmask(_t, Args(SIG_BLOCK, 0, 0x30_0000, 8)));
    }

    [Fact]
    public void Sigpending_BlockedSignal_IsReported()
    {
        _t.SignalMask = Bit(SIGTERM);
        SignalDelivery.Raise(_t, SIGTERM, SignalInfo.SI_USER, 1, 0);

        Assert.Equal(0, InvokeSigpending(_t, Args(Old, 8)));

        Assert.Equal(Bit(SIGTERM), GetUInt64(_p, Old));
    }

    [Fact]
    public void Sigpending_SizeAboveEight_ReturnsEinval()
    {
        Assert.Equal(Err(Errno.EINVAL), InvokeSigpending(_t, Args(Old, 16)));
    }

    private long Altstack(ulong sp, int flags, ulong size, ulong oldAt = 0)
    {
        PutUInt64(_p, New, sp, (ulong)(uint)flags, size);
        return InvokeSigaltstack(_t, Args(New, oldAt));
    }

    [Fact]
    public void Sigaltstack_SetThenQuery_ReturnsStackT()
    {
        Assert.Equal(0, Altstack(AltBase, 0, 0x4000));

        Assert.Equal(0, InvokeSigaltstack(_t, Args(0, Old)));

        Assert.Equal((AltBase, 0, 0x4000UL), (GetUInt64(_p, Old), GetInt32(_p, Old + 8), GetUInt64(_p, Old + 16)));
        Assert.Equal((AltBase, 0x4000UL), (_t.AltStackBase, _t.AltStackSize));
    }

    [Fact]
    public void Sigaltstack_Initially_IsDisabled()
    {
        Assert.Equal(0, InvokeSigaltstack(_t, Args(0, Old)));

        Assert.Equal(SS_DISABLE, GetInt32(_p, Old + 8));
    }

    [Fact]
    public void Sigaltstack_Disable_ForgetsTheStack()
    {
        Altstack(AltBase, 0, 0x4000);

        Assert.Equal(0, Altstack(0, SS_DISABLE, 0));

        Assert.Equal((0UL, 0UL, SS_DISABLE), (_t.AltStackBase, _t.AltStackSize, _t.AltStackFlags));
    }

    [Fact]
    public void Sigaltstack_SmallerThanMinsigstksz_ReturnsEnomem()
    {
        Assert.Equal(Err(Errno.ENOMEM), Altstack(AltBase, 0, 2047));
    }

    [Fact]
    public void Sigaltstack_UnknownFlag_ReturnsEinval()
    {
        Assert.Equal(Err(Errno.EINVAL), Altstack(AltBase, 4, 0x4000));
        Assert.Equal(Err(Errno.EINVAL), Altstack(AltBase, SS_ONSTACK, 0x4000));
    }

    [Fact]
    public void Sigaltstack_BadPointer_ReturnsEfault()
    {
        Assert.Equal(Err(Errno.EFAULT), InvokeSigaltstack(_t, Args(0x30_0000, 0)));
        Assert.Equal(Err(Errno.EFAULT), InvokeSigaltstack(_t, Args(0, 0x30_0000)));
    }

    [Fact]
    public void Sigaltstack_ChangeWhileRunningOnIt_ReturnsEperm()
    {
        Altstack(AltBase, 0, 0x4000);
        _t.Registers.Rsp = AltBase + 0x2000;

        Assert.Equal(Err(Errno.EPERM), Altstack(AltBase, 0, 0x2000));
    }

    [Fact]
    public void Sigaltstack_QueryWhileRunningOnIt_ReportsSsOnstack()
    {
        Altstack(AltBase, 0, 0x4000);
        _t.Registers.Rsp = AltBase + 0x2000;

        Assert.Equal(0, InvokeSigaltstack(_t, Args(0, Old)));

        Assert.Equal(SS_ONSTACK, GetInt32(_p, Old + 8));
    }
}
