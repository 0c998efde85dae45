// SyscallTableTests: Dispatch decodes rax and the six argument registers,
// keeps the number in orig_rax, puts the result in rax; a number with no
// handler is ENOSYS and counted, never faked; a waiting call leaves the
// thread blocked until its task completes.
using Kevlar.Process.Signals;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class SyscallTableTests
{
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public SyscallTableTests()
    {
        _p = _k.NewProcess();
        _t = _p.MainThread;
    }

    private bool Call(ulong number, ulong a0 = 0, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0)
    {
        _t.Registers.Rax = number;
        _t.Registers.Rdi = a0;
        _t.Registers.Rsi = a1;
        _t.Registers.Rdx = a2;
        _t.Registers.R10 = a3;
        return _k.OnCpu(_t.Home, () => _k.Host.Syscalls.Dispatch(_t));
    }

    [Fact]
    public void Dispatch_Getpid_PutsThePidInRaxAndTheNumberInOrigRax()
    {
        Assert.True(Call(SyscallNumber.getpid));

        Assert.Equal((ulong)_p.Pid, _t.Registers.Rax);
        Assert.Equal((ulong)SyscallNumber.getpid, _t.Registers.OrigRax);
    }

    [Fact]
    public void Dispatch_Write_TakesArgumentsFromRdiRsiRdx()
    {
        PutString(_p, Scratch, "hi!");

        Assert.True(Call(SyscallNumber.write, 1, Scratch, 3));

        Assert.Equal(3UL, _t.Registers.Rax);
        Assert.Equal("hi!", _k.Console.Text);
    }

    [Fact]
    public void Dispatch_FourthArgument_ComesFromR10()
    {
        PutUInt64(_p, Scratch, 0, 0, 0, 0); // a SIG_DFL kernel_sigaction

        Assert.True(Call(SyscallNumber.rt_sigaction, Signal.SIGUSR1, Scratch, 0, 8));

        Assert.Equal(0UL, _t.Registers.Rax);
        Assert.True(Call(SyscallNumber.rt_sigaction, Signal.SIGUSR1, Scratch, 0, 4));
        Assert.Equal((ulong)Err(Errno.EINVAL), _t.Registers.Rax);
    }

    [Fact]
    public void Dispatch_KnownNumberWithoutAHandler_ReturnsEnosysAndCountsIt()
    {
        Assert.False(_k.Host.Syscalls.IsImplemented(SyscallNumber.acct));

        Assert.True(Call(SyscallNumber.acct, Scratch));
        Assert.True(Call(SyscallNumber.acct, Scratch));

        Assert.Equal((ulong)Err(Errno.ENOSYS), _t.Registers.Rax);
        Assert.Equal(2, _k.Host.Syscalls.Missing(SyscallNumber.acct));
    }

    [Theory]
    [InlineData(451UL)]
    [InlineData(100_000UL)]
    [InlineData(ulong.MaxValue)]
    public void Dispatch_NumberOutsideTheTable_ReturnsEnosys(ulong number)
    {
        Assert.True(Call(number));

        Assert.Equal((ulong)Err(Errno.ENOSYS), _t.Registers.Rax);
    }

    [Fact]
    public void Dispatch_Wait4ForALiveChild_BlocksWithoutTouchingRax()
    {
        _k.NewProcess(_p, cpu: 1);

        Assert.False(Call(SyscallNumber.wait4, I(-1), 0, 0, 0));

        Assert.Equal((ulong)SyscallNumber.wait4, _t.Registers.Rax);
        Assert.NotNull(_p.ChildEvent);
    }

    [Fact]
    public void Dispatch_Wait4WithWnohang_CompletesInline()
    {
        _k.NewProcess(_p, cpu: 1);

        Assert.True(Call(SyscallNumber.wait4, I(-1), 0, (ulong)Wait4.WNOHANG, 0));

        Assert.Equal(0UL, _t.Registers.Rax);
    }

    [Fact]
    public void IsImplemented_TheCallsBusyBoxStartsWith_AreAll()
    {
        int[] needed =
        {
            SyscallNumber.read, SyscallNumber.write, SyscallNumber.brk, SyscallNumber.mmap, SyscallNumber.arch_prctl,
            SyscallNumber.set_tid_address, SyscallNumber.rt_sigaction, SyscallNumber.rt_sigprocmask, SyscallNumber.ioctl,
            SyscallNumber.getpid, SyscallNumber.execve, SyscallNumber.wait4, SyscallNumber.exit_group,
        };

        Assert.All(needed, n => Assert.True(_k.Host.Syscalls.IsImplemented(n), SyscallNames.Of(n)));
    }
}
