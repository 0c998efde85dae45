// UserProcessTests: the exit protocol driven by the deterministic scheduler —
// an exit frees the process's memory and files and reports to the parent,
// which holds the child as a zombie once the report arrives (never as a child
// and a zombie at once); SIGCHLD carries the status; orphans go to init, and a
// report that reaches a parent which died meanwhile is passed on to init, so
// none is lost whatever order the CPUs run in; init's own exit powers off.
using Kevlar.Process.Signals;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.UserMode;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;

namespace Kevlar.Process.Tests;

public class UserProcessTests
{
    public static readonly TheoryData<int?> Seeds = new() { null, 1, 2, 3, 4, 5, 6, 7, 8 };

    [Fact]
    public void Exit_Child_IsAZombieOfItsParentOnceTheReportArrives()
    {
        var k = new ProcessHarness();
        UserProcess child = k.NewProcess(cpu: 1);

        child.MainThread.ExitGroup(WaitStatus.Exited(3));

        Assert.True(child.Exited && child.MainThread.HasExited);
        Assert.Contains(child, k.Init.Children);
        Assert.DoesNotContain(child, k.Init.Zombies);
        k.Run();
        Assert.Contains(child, k.Init.Zombies);
        Assert.DoesNotContain(child, k.Init.Children);
        Assert.Same(child, k.Host.Table.Find(child.Pid)); // until reaped
    }

    [Fact]
    public void Exit_WithMappedPagesAndOpenFiles_FreesThem()
    {
        var k = new ProcessHarness();
        UserProcess p = k.NewProcess();
        PutString(p, Scratch, "data");
        PutString(p, Scratch + 0x5000, "more");
        int framesBefore = k.Pool.LiveFrames;

        p.ExitGroup(WaitStatus.Exited(0));

        Assert.True(PagesOf(p).Destroyed);
        Assert.Equal(0, PagesOf(p).MappedCount);
        Assert.Equal(framesBefore - 2, k.Pool.LiveFrames);
        Assert.Equal(0, p.Memory.Count);
        Assert.Null(p.Files.Get(0));
    }

    [Fact]
    public void Exit_AfterForkSharedFrames_FreesOnlyItsShare()
    {
        var k = new ProcessHarness();
        UserProcess parent = k.NewProcess();
        PutString(parent, Scratch, "shared");
        long pid = Kevlar.Process.Syscalls.Fork.Do(parent.MainThread, (ulong)Signal.SIGCHLD, 0, 0, 0, 0);
        UserProcess child = k.Host.Table.Find((int)pid)!;

        child.ExitGroup(WaitStatus.Exited(0));

        Assert.Equal("shared", GetString(parent, Scratch, 6));
        Assert.Equal(1, PagesOf(parent).FrameOf(Scratch)!.References);
    }

    [Fact]
    public void Exit_Twice_KeepsTheFirstStatus()
    {
        var k = new ProcessHarness();
        UserProcess p = k.NewProcess();

        p.ExitGroup(WaitStatus.Exited(1));
        p.ExitGroup(WaitStatus.Killed(Signal.SIGKILL, false));
        k.Run();

        Assert.Equal(WaitStatus.Exited(1), p.ExitWaitStatus);
        Assert.Single(k.Init.Zombies);
    }

    [Theory]
    [InlineData(0x0300, SignalInfo.CLD_EXITED, 3)]
    [InlineData(0x0009, SignalInfo.CLD_KILLED, 9)]
    public void Exit_ParentHandlesSigchld_GetsItWithTheChildsPidAndStatus(int status, int code, int siStatus)
    {
        var k = new ProcessHarness();
        UserProcess parent = k.NewProcess(uid: 1000);
        parent.SignalActions.Set(Signal.SIGCHLD, new SignalAction { Handler = 0x40_8000, Flags = SignalAction.SA_RESTORER, Restorer = 0x40_9000 });
        UserProcess child = k.NewProcess(parent, cpu: 1, uid: 1000);

        child.ExitGroup(status);
        k.Run();

        Assert.Equal(1UL << (Signal.SIGCHLD - 1), parent.MainThread.PendingSignals);
        SignalInfo info = parent.MainThread.PendingInfo[Signal.SIGCHLD];
        Assert.Equal((code, child.Pid, 1000u, siStatus), (info.Code, info.Pid, info.Uid, info.Status));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Exit_ParentDiesFirst_OrphanGoesToInitAndItsExitReachesInit(int? seed)
    {
        var k = new ProcessHarness(3, seed);
        UserProcess parent = k.NewProcess(cpu: 1);
        UserProcess orphan = k.NewProcess(parent, cpu: 2);

        parent.ExitGroup(WaitStatus.Exited(0));
        k.Run();

        Assert.Same(k.Init, orphan.Parent);
        Assert.Contains(orphan, k.Init.Children);
        Assert.Contains(parent, k.Init.Zombies);
        orphan.ExitGroup(WaitStatus.Exited(7));
        k.Run();
        Assert.Contains(orphan, k.Init.Zombies);
        Assert.DoesNotContain(orphan, k.Init.Children);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Exit_ReportToAParentThatDiedMeanwhile_IsForwardedToInitOnce(int? seed)
    {
        var k = new ProcessHarness(3, seed);
        UserProcess parent = k.NewProcess(cpu: 1);
        UserProcess child = k.NewProcess(parent, cpu: 2);

        child.ExitGroup(WaitStatus.Exited(4));   // the report to parent is queued...
        parent.ExitGroup(WaitStatus.Exited(0));  // ...and the parent dies before it is delivered
        k.Run();

        Assert.Same(k.Init, child.Parent);
        Assert.Equal(1, k.Init.Zombies.Count(z => z == child));
        Assert.Equal(1, k.Init.Zombies.Count(z => z == parent));
        Assert.Empty(k.Init.Children);
        Assert.Empty(parent.Zombies);
    }

    [Fact]
    public void Exit_ChildrenAndZombiesOfADyingProcess_AllEndUpWithInit()
    {
        var k = new ProcessHarness();
        UserProcess parent = k.NewProcess(cpu: 1);
        UserProcess zombie = k.NewProcess(parent, cpu: 0);
        UserProcess live = k.NewProcess(parent, cpu: 0);
        zombie.ExitGroup(WaitStatus.Exited(2));
        k.Run();
        Assert.Contains(zombie, parent.Zombies);

        parent.ExitGroup(WaitStatus.Exited(0));
        k.Run();

        Assert.Equal(new[] { zombie, parent }.OrderBy(p => p.Pid), k.Init.Zombies.OrderBy(p => p.Pid));
        Assert.Equal(new[] { live }, k.Init.Children);
    }

    [Theory]
    [InlineData(0x0500, 5)]
    [InlineData(0x0009, 137)]
    public void Exit_Init_PowersOffWithTheShellStatus(int status, int shellStatus)
    {
        var k = new ProcessHarness();

        k.Init.MainThread.ExitGroup(status);

        Assert.Equal(new[] { shellStatus }, k.Control.Statuses);
    }

    [Fact]
    public void Exit_PageTablesAreDestroyed_SoTheSpaceCannotBeTouchedAgain()
    {
        var k = new ProcessHarness();
        UserProcess p = k.NewProcess();

        p.ExitGroup(WaitStatus.Exited(0));

        Assert.Equal(PageState.NotMapped, p.Pages.Query(Scratch));
        Assert.Equal(-Errno.EFAULT, p.UserMemory.Write(Scratch, new byte[1]));
    }

    [Fact]
    public void Exit_ParentIgnoresSigchld_ChildIsReapedAtOnce()
    {
        var k = new ProcessHarness();
        UserProcess parent = k.NewProcess();
        parent.SignalActions.Set(Signal.SIGCHLD, new SignalAction { Handler = SignalAction.SIG_IGN });
        UserProcess child = k.NewProcess(parent, cpu: 1);

        child.ExitGroup(WaitStatus.Exited(0));
        k.Run();

        Assert.Empty(parent.Zombies);
        Assert.Null(k.Host.Table.Find(child.Pid));
    }
}
