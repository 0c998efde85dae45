// ItimerTests: alarm(2) and setitimer(2)'s ITIMER_REAL arm one timer at a
// time: a new setting calls the older timer off, and so does the process's
// exit, so a far deadline left behind does not hold the process until then.
using Kevlar.Process.Signals;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class ItimerTests
{
    private readonly ProcessHarness _k = new();

    [Fact]
    public void Alarm_Again_CallsTheOlderTimerOff_AndExitTheLast()
    {
        UserProcess p = _k.NewProcess(cpu: 0);
        UserThread t = p.MainThread;

        Assert.Equal(0, _k.OnCpu(0, () => Itimer.InvokeAlarm(t, Args(3600))));
        Assert.Equal(3600, _k.OnCpu(0, () => Itimer.InvokeAlarm(t, Args(7200))));

        Assert.Equal(2, _k.Timers.Handles.Count);
        Assert.True(_k.Timers.Handles[0].Handle.IsCancelled);
        Assert.False(_k.Timers.Handles[1].Handle.IsCancelled);

        _k.OnCpu(0, () => { p.ExitGroup(WaitStatus.Exited(0)); return 0L; });

        Assert.True(_k.Timers.Handles[1].Handle.IsCancelled);
        Assert.Empty(_k.Timers.Armed);
    }
}
