// OutOfMemoryTests: the OOM killer's pending victim (ProcessHost.OutOfMemoryVictim)
// is let go when that process exits. The field once kept the last victim for
// good, and with it the dead process's root, files and whatever they held (a
// 1,000,000-call fuzz run's leak check found the removed sandbox still alive).
using Kevlar.Process.Signals;
using Kevlar.Process.Tests.Support;
using Xunit;

namespace Kevlar.Process.Tests.Memory;

public class OutOfMemoryTests
{
    private readonly ProcessHarness _k = new();

    [Fact]
    public void PendingVictimExits_FieldLetsGoOfIt()
    {
        UserProcess victim = _k.NewProcess(cpu: 0);
        _k.Host.OutOfMemoryVictim = victim;

        victim.ExitGroup(WaitStatus.Killed(Signal.SIGKILL, false));

        Assert.Null(_k.Host.OutOfMemoryVictim);
    }

    [Fact]
    public void AnotherProcessExits_VictimStaysPending()
    {
        UserProcess victim = _k.NewProcess(cpu: 0);
        UserProcess other = _k.NewProcess(cpu: 1);
        _k.Host.OutOfMemoryVictim = victim;

        other.ExitGroup(WaitStatus.Exited(0));

        Assert.Same(victim, _k.Host.OutOfMemoryVictim);
    }
}
