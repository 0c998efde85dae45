// SignalDeliveryTests: what a signal does when it reaches a thread — the
// default actions of signal(7), blocking and pending, standard signals that
// merge and real-time ones that queue in order, SIGKILL that nothing blocks,
// faults that kill unless a handler may run, and the handler's frame, mask
// and flags when one does.
using Kevlar.Process.Signals;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Signals.Signal;
using static Kevlar.Process.Signals.SignalAction;
using static Kevlar.Process.Signals.SignalDelivery;
using static Kevlar.Process.Tests.Support.ProcessHarness;

namespace Kevlar.Process.Tests.Signals;

public class SignalDeliveryTests
{
    private const ulong StackTop = Scratch + ScratchSize - 0x100;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public SignalDeliveryTests()
    {
        _p = _k.NewProcess();
        _t = _p.MainThread;
        _t.Registers.Reset(0x40_1000, StackTop);
    }

    private static ulong Bit(int signal) => 1UL << (signal - 1);

    private void Handle(int signal, ulong flags = 0, ulong mask = 0)
        => _p.SignalActions.Set(signal, new SignalAction { Handler = 0x40_8000, Flags = SA_RESTORER | SA_SIGINFO | flags, Restorer = 0x40_9000, Mask = mask });

    private void Raise(int signal, int pid = 1) => SignalDelivery.Raise(_t, signal, SignalInfo.SI_USER, pid, 0);

    /// <summary>What the handler's rt_sigreturn would do: back to the old stack and mask.</summary>
    private void ReturnFromHandler()
    {
        _t.Registers.Rsp = StackTop;
        _t.SignalMask = 0;
    }

    // signal(7), "Standard signals": Term, Core, Ign, Stop or Cont for each.
    [Theory]
    [InlineData(SIGHUP, DefaultAction.Terminate)]
    [InlineData(SIGINT, DefaultAction.Terminate)]
    [InlineData(SIGQUIT, DefaultAction.CoreDump)]
    [InlineData(SIGILL, DefaultAction.CoreDump)]
    [InlineData(SIGTRAP, DefaultAction.CoreDump)]
    [InlineData(SIGABRT, DefaultAction.CoreDump)]
    [InlineData(SIGBUS, DefaultAction.CoreDump)]
    [InlineData(SIGFPE, DefaultAction.CoreDump)]
    [InlineData(SIGKILL, DefaultAction.Terminate)]
    [InlineData(SIGUSR1, DefaultAction.Terminate)]
    [InlineData(SIGSEGV, DefaultAction.CoreDump)]
    [InlineData(SIGUSR2, DefaultAction.Terminate)]
    [InlineData(SIGPIPE, DefaultAction.Terminate)]
    [InlineData(SIGALRM, DefaultAction.Terminate)]
    [InlineData(SIGTERM, DefaultAction.Terminate)]
    [InlineData(SIGSTKFLT, DefaultAction.Terminate)]
    [InlineData(SIGCHLD, DefaultAction.Ignore)]
    [InlineData(SIGCONT, DefaultAction.Continue)]
    [InlineData(SIGSTOP, DefaultAction.Stop)]
    [InlineData(SIGTSTP, DefaultAction.Stop)]
    [InlineData(SIGTTIN, DefaultAction.Stop)]
    [InlineData(SIGTTOU, DefaultAction.Stop)]
    [InlineData(SIGURG, DefaultAction.Ignore)]
    [InlineData(SIGXCPU, DefaultAction.CoreDump)]
    [InlineData(SIGXFSZ, DefaultAction.CoreDump)]
    [InlineData(SIGVTALRM, DefaultAction.Terminate)]
    [InlineData(SIGPROF, DefaultAction.Terminate)]
    [InlineData(SIGWINCH, DefaultAction.Ignore)]
    [InlineData(SIGIO, DefaultAction.Terminate)]
    [InlineData(SIGPWR, DefaultAction.Terminate)]
    [InlineData(SIGSYS, DefaultAction.CoreDump)]
    [InlineData(SIGRTMIN, DefaultAction.Terminate)]
    [InlineData(Max, DefaultAction.Terminate)]
    public void DefaultActionOf_EverySignal_MatchesSignal7(int signal, DefaultAction expected)
    {
        Assert.Equal(expected, DefaultActionOf(signal));
    }

    [Theory]
    [InlineData(SIGTERM)]
    [InlineData(SIGQUIT)] // core: but RLIMIT_CORE is 0, so no core flag
    [InlineData(SIGRTMIN + 3)]
    public void Raise_DefaultTerminateUnblocked_KillsTheProcessWithThatSignal(int signal)
    {
        Raise(signal);

        Assert.True(_t.HasExited);
        Assert.Equal(WaitStatus.Killed(signal, false), _p.ExitWaitStatus);
    }

    [Theory]
    [InlineData(SIGCHLD)]
    [InlineData(SIGURG)]
    [InlineData(SIGWINCH)]
    public void Raise_DefaultIgnore_LeavesNothingPending(int signal)
    {
        Raise(signal);

        Assert.False(_t.HasExited);
        Assert.Equal(0UL, _t.PendingSignals);
    }

    [Fact]
    public void Raise_SigIgn_LeavesNothingPending()
    {
        _p.SignalActions.Set(SIGTERM, new SignalAction { Handler = SIG_IGN });

        Raise(SIGTERM);

        Assert.False(_t.HasExited);
        Assert.Equal(0UL, _t.PendingSignals);
    }

    [Fact]
    public void Raise_BlockedDefaultTerminate_StaysPendingUntilUnblocked()
    {
        _t.SignalMask = Bit(SIGTERM);

        Raise(SIGTERM, pid: 42);

        Assert.False(_t.HasExited);
        Assert.Equal(Bit(SIGTERM), _t.PendingSignals);
        Assert.Equal(42, _t.PendingInfo[SIGTERM].Pid);
        _t.SignalMask = 0;
        Assert.True(HasDeliverable(_t));
        Assert.False(DeliverPending(_t));
        Assert.Equal(WaitStatus.Killed(SIGTERM, false), _p.ExitWaitStatus);
    }

    [Fact]
    public void Raise_BlockedSignalWhoseDefaultIsIgnore_StaysPending()
    {
        _t.SignalMask = Bit(SIGCHLD);

        Raise(SIGCHLD);

        Assert.Equal(Bit(SIGCHLD), _t.PendingSignals);
    }

    [Fact]
    public void Raise_TerminalStopInOrphanedGroup_IsDiscarded()
    {
        Raise(SIGTSTP); // the harness's process is in init's session with no parent in another group

        Assert.False(_t.Process.Stopped);
        Assert.Equal(0UL, _t.PendingSignals);
    }

    [Fact]
    public void Raise_DefaultStop_StopsTheProcessWithoutKillingIt()
    {
        Raise(SIGSTOP);

        Assert.False(_t.HasExited);
        Assert.True(_t.Process.Stopped);
        Assert.Equal(0UL, _t.PendingSignals);
        Raise(SIGCONT);
        Assert.False(_t.Process.Stopped);
        Assert.True(DeliverPending(_t));
    }

    [Fact]
    public void Raise_SigkillEvenWithEveryBitBlocked_Kills()
    {
        _t.SignalMask = ulong.MaxValue;

        Raise(SIGKILL);

        Assert.Equal(WaitStatus.Killed(SIGKILL, false), _p.ExitWaitStatus);
    }

    [Fact]
    public void Raise_ToAnExitedThread_DoesNothing()
    {
        Raise(SIGTERM);
        int status = _p.ExitWaitStatus;

        Raise(SIGKILL);

        Assert.Equal(status, _p.ExitWaitStatus);
    }

    [Fact]
    public void DeliverPending_Handler_BuildsAFrameAndBlocksTheSignalAndItsMask()
    {
        Handle(SIGUSR1, mask: Bit(SIGUSR2) | Bit(SIGKILL));
        Raise(SIGUSR1, pid: 33);

        Assert.True(DeliverPending(_t));

        Assert.Equal(0x40_8000UL, _t.Registers.Rip);
        Assert.Equal((ulong)SIGUSR1, _t.Registers.Rdi);
        Assert.Equal(33, GetInt32(_p, _t.Registers.Rsi + 16));
        Assert.Equal(Bit(SIGUSR1) | Bit(SIGUSR2), _t.SignalMask);
        Assert.Equal(0UL, _t.PendingSignals);
    }

    [Fact]
    public void DeliverPending_SaNodefer_LeavesTheSignalUnblocked()
    {
        Handle(SIGUSR1, SA_NODEFER);
        Raise(SIGUSR1);

        Assert.True(DeliverPending(_t));

        Assert.Equal(0UL, _t.SignalMask);
    }

    [Fact]
    public void DeliverPending_SaResethand_PutsTheDefaultBack()
    {
        Handle(SIGUSR1, SA_RESETHAND);
        Raise(SIGUSR1);

        Assert.True(DeliverPending(_t));

        Assert.Equal(SIG_DFL, _p.SignalActions.Get(SIGUSR1).Handler);
    }

    [Fact]
    public void DeliverPending_HandlerWithoutRestorer_KillsWithSigsegv()
    {
        _p.SignalActions.Set(SIGUSR1, new SignalAction { Handler = 0x40_8000 });
        Raise(SIGUSR1);

        Assert.False(DeliverPending(_t));

        Assert.Equal(WaitStatus.Killed(SIGSEGV, false), _p.ExitWaitStatus);
    }

    [Fact]
    public void DeliverPending_StackUnwritable_KillsWithSigsegv()
    {
        Handle(SIGUSR1);
        Raise(SIGUSR1);
        _t.Registers.Rsp = 0x30_0000;

        Assert.False(DeliverPending(_t));

        Assert.Equal(WaitStatus.Killed(SIGSEGV, false), _p.ExitWaitStatus);
    }

    [Fact]
    public void Raise_StandardSignalTwiceWhileBlocked_IsDeliveredOnce()
    {
        Handle(SIGUSR1);
        _t.SignalMask = Bit(SIGUSR1);
        Raise(SIGUSR1, pid: 1);
        Raise(SIGUSR1, pid: 2);
        _t.SignalMask = 0;

        Assert.True(DeliverPending(_t));
        ReturnFromHandler();

        Assert.False(HasDeliverable(_t));
        Assert.Equal(0UL, _t.PendingSignals);
    }

    [Fact]
    public void Raise_RealtimeSignalThriceWhileBlocked_IsDeliveredThriceInOrder()
    {
        const int Rt = SIGRTMIN + 2;
        Handle(Rt);
        _t.SignalMask = Bit(Rt);
        Raise(Rt, pid: 11);
        Raise(Rt, pid: 12);
        Raise(Rt, pid: 13);
        _t.SignalMask = 0;
        var senders = new List<int>();

        while (HasDeliverable(_t))
        {
            Assert.True(DeliverPending(_t));
            senders.Add(GetInt32(_p, _t.Registers.Rsi + 16));
            ReturnFromHandler();
        }

        Assert.Equal(new[] { 11, 12, 13 }, senders);
        Assert.Equal(0UL, _t.PendingSignals);
    }

    [Fact]
    public void DeliverPending_SeveralPending_LowestNumberIsBuiltFirstSoTheHighestRunsFirst()
    {
        Handle(SIGUSR1);
        Handle(SIGUSR2);
        _t.SignalMask = Bit(SIGUSR1) | Bit(SIGUSR2);
        Raise(SIGUSR1);
        Raise(SIGUSR2);
        _t.SignalMask = 0;

        Assert.True(DeliverPending(_t));

        Assert.Equal((ulong)SIGUSR2, _t.Registers.Rdi);
        ulong outer = _t.Registers.Rsp + 8 + 40; // the SIGUSR2 frame's saved registers (uc_mcontext)
        Assert.Equal(0x40_8000UL, GetUInt64(_p, outer + 128)); // it returns into the SIGUSR1 handler
        Assert.Equal(0UL, _t.PendingSignals);
    }

    [Fact]
    public void Fault_DefaultAction_KillsWithTheFaultSignal()
    {
        var info = new SignalInfo { Signal = SIGSEGV, Code = SignalInfo.SEGV_MAPERR, IsFault = true, Address = 8 };

        Fault(_t, in info);

        Assert.Equal(WaitStatus.Killed(SIGSEGV, false), _p.ExitWaitStatus);
    }

    [Fact]
    public void Fault_HandlerNotBlocked_IsPendingWithTheFaultAddress()
    {
        Handle(SIGSEGV);
        var info = new SignalInfo { Signal = SIGSEGV, Code = SignalInfo.SEGV_ACCERR, IsFault = true, Address = 0xBAD0 };

        Fault(_t, in info);
        Assert.True(DeliverPending(_t));

        Assert.False(_t.HasExited);
        Assert.Equal(0xBAD0UL, GetUInt64(_p, _t.Registers.Rsi + 16));
        Assert.Equal(SignalInfo.SEGV_ACCERR, GetInt32(_p, _t.Registers.Rsi + 8));
    }

    [Fact]
    public void Fault_HandlerButBlocked_Kills()
    {
        Handle(SIGFPE);
        _t.SignalMask = Bit(SIGFPE);
        var info = new SignalInfo { Signal = SIGFPE, Code = SignalInfo.FPE_INTDIV, IsFault = true };

        Fault(_t, in info);

        Assert.Equal(WaitStatus.Killed(SIGFPE, false), _p.ExitWaitStatus);
    }

    [Fact]
    public void SignalFor_Vectors_AreWhatLinuxSends()
    {
        Assert.Equal(SIGFPE, UserThread.SignalFor(Kevlar.Runtime.UserMode.TrapVector.DivideError));
        Assert.Equal(SIGILL, UserThread.SignalFor(Kevlar.Runtime.UserMode.TrapVector.InvalidOpcode));
        Assert.Equal(SIGTRAP, UserThread.SignalFor(Kevlar.Runtime.UserMode.TrapVector.Breakpoint));
        Assert.Equal(SIGBUS, UserThread.SignalFor(Kevlar.Runtime.UserMode.TrapVector.AlignmentCheck));
        Assert.Equal(SIGSEGV, UserThread.SignalFor(Kevlar.Runtime.UserMode.TrapVector.GeneralProtection));
        Assert.Equal(SIGSEGV, UserThread.SignalFor(Kevlar.Runtime.UserMode.TrapVector.PageFault));
    }

    [Fact]
    public void Raise_SigcontWithTheDefaultActionWhileRunning_IsDiscarded()
    {
        Raise(SIGCONT);

        Assert.Equal(0UL, _t.PendingSignals);
        Assert.False(HasDeliverable(_t));
    }
}
