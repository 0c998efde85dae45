// ForkTests: fork(2)/clone(2) over fake page tables — the child sees the
// parent's memory and each side's later writes are private, open file
// descriptions are shared, registers are copied with rax 0, state is
// inherited, and RLIMIT_NPROC stops a non-root user (EAGAIN) but not root.
// The child's thread is queued to run; these tests never run it.
using Kevlar.Process.Files;
using Kevlar.Process.Memory;
using Kevlar.Process.Signals;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.UserMode;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class ForkTests
{
    private const ulong Data = 0x4000_0000, P = MemoryMap.PageSize;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public ForkTests()
    {
        _p = _k.NewProcess(uid: 0);
        _t = _p.MainThread;
        Map(_p, Data, 4 * P, UserRW);
    }

    private UserProcess ForkChild(ulong flags = (ulong)Signal.SIGCHLD)
    {
        long pid = Fork.Do(_t, flags, 0, 0, 0, 0);
        Assert.True(pid > 0, "fork: " + pid);
        return _k.Host.Table.Find((int)pid)!;
    }

    [Fact]
    public void Do_Child_SeesTheParentsMemory()
    {
        PutString(_p, Data + 100, "before fork");

        UserProcess child = ForkChild();

        Assert.Equal("before fork", GetString(child, Data + 100, 11));
        Assert.Same(PagesOf(_p).FrameOf(Data), PagesOf(child).FrameOf(Data));
        Assert.Equal(PageState.CopyOnWrite, child.Pages.Query(Data));
    }

    [Fact]
    public void Do_WritesAfterFork_ArePrivateToEachSide()
    {
        PutString(_p, Data, "shared");
        PutString(_p, Data + P, "page two");
        UserProcess child = ForkChild();

        PutString(_p, Data, "parent");
        PutString(child, Data + P, "child's!");

        Assert.Equal(("parent", "shared"), (GetString(_p, Data, 6), GetString(child, Data, 6)));
        Assert.Equal(("page two", "child's!"), (GetString(_p, Data + P, 8), GetString(child, Data + P, 8)));
    }

    [Fact]
    public void Do_PagesFirstTouchedAfterFork_AreSeparate()
    {
        UserProcess child = ForkChild();

        PutString(child, Data + 3 * P, "child");

        Assert.Equal(new byte[5], Get(_p, Data + 3 * P, 5));
    }

    [Fact]
    public void Do_ReadOnlyPageMadeWritableAfterFork_StaysPrivate()
    {
        PutString(_p, Data, "original");
        Assert.Equal(0, _p.Memory.Protect(Data, Data + P, PageProtection.Read));
        UserProcess child = ForkChild();

        Assert.Equal(0, _p.Memory.Protect(Data, Data + P, UserRW));
        PutString(_p, Data, "modified");

        Assert.Equal("original", GetString(child, Data, 8));
    }

    [Fact]
    public void Do_OpenFiles_AreTheSameDescriptionsInANewTable()
    {
        UserProcess child = ForkChild();

        Assert.Same(_p.Files.Get(1), child.Files.Get(1));
        Assert.Equal(3, Dup.InvokeDup(child.MainThread, Args(1)));
        Assert.Null(_p.Files.Get(3));
        Assert.Equal(0, Fcntl.Invoke(child.MainThread, Args(1, Fcntl.F_SETFL, OpenFlags.O_NONBLOCK)));
        Assert.Equal(OpenFlags.O_RDWR | OpenFlags.O_NONBLOCK, _p.Files.Get(1)!.StatusFlags);
    }

    [Fact]
    public void Do_Registers_AreCopiedWithRaxZero()
    {
        _t.Registers.Reset(0x40_1000, 0x7FFF_0000);
        _t.Registers.Rbx = 0xB;
        _t.Registers.R15 = 0xF;
        _t.Registers.Rax = 57;
        _t.Registers.FsBase = 0x7000_1000;

        UserProcess child = ForkChild();

        ref UserRegisters c = ref child.MainThread.Registers;
        Assert.Equal((0x40_1000UL, 0x7FFF_0000UL, 0xBUL, 0xFUL, 0x7000_1000UL), (c.Rip, c.Rsp, c.Rbx, c.R15, c.FsBase));
        Assert.Equal(0UL, c.Rax);
        Assert.Equal(57UL, _t.Registers.Rax);
    }

    [Fact]
    public void Do_Child_InheritsCredentialsLimitsDispositionsMaskCwdRootAndHeap()
    {
        _p.Uid = _p.Euid = 5;
        _p.Groups = new uint[] { 7 };
        _p.Limits.Set(ResourceLimits.RLIMIT_NOFILE, 64, 128);
        _p.SignalActions.Set(Signal.SIGINT, new SignalAction { Handler = SignalAction.SIG_IGN });
        _t.SignalMask = 1UL << (Signal.SIGUSR1 - 1);
        _p.Cwd = _k.Lookup("/etc");
        _p.Root = _k.Lookup("/dir");
        _p.BrkStart = 0x60_0000;
        _p.Brk = 0x60_1000;
        _p.ExecutablePath = "/bin/busybox";

        UserProcess child = ForkChild();

        Assert.Equal((5u, 5u), (child.Uid, child.Euid));
        Assert.Equal(new uint[] { 7 }, child.Groups);
        Assert.Equal(64UL, child.Limits.Soft(ResourceLimits.RLIMIT_NOFILE));
        Assert.Equal(SignalAction.SIG_IGN, child.SignalActions.Get(Signal.SIGINT).Handler);
        Assert.Equal(_t.SignalMask, child.MainThread.SignalMask);
        Assert.Equal((_k.Lookup("/etc"), _k.Lookup("/dir")), (child.Cwd, child.Root));
        Assert.Equal((0x60_0000UL, 0x60_1000UL, "/bin/busybox"), (child.BrkStart, child.Brk, child.ExecutablePath));
        Assert.Equal((_p.ProcessGroup, _p.Session), (child.ProcessGroup, child.Session));
        Assert.Equal(0UL, child.MainThread.PendingSignals);
    }

    [Fact]
    public void Do_Child_IsTheParentsChildInTheTableAndQueuedToRun()
    {
        int before = _k.Host.ProcessCount;

        UserProcess child = ForkChild();

        Assert.True(child.Pid > _p.Pid);
        Assert.Equal(_p.Pid, child.ParentPid);
        Assert.Contains(child, _p.Children);
        Assert.Equal(before + 1, _k.Host.ProcessCount);
        Assert.NotNull(child.MainThread.Scheduler);
        Assert.False(_k.Scheduler.MailboxEmpty(child.MainThread.Home));
    }

    [Fact]
    public void Do_NonRootAtRlimitNproc_ReturnsEagainAndCreatesNothing()
    {
        _p.Uid = _p.Euid = 1000;
        _p.Limits.Set(ResourceLimits.RLIMIT_NPROC, 1, 1); // this process is the one
        int before = _k.Host.ProcessCount;

        Assert.Equal(Err(Errno.EAGAIN), Fork.Do(_t, (ulong)Signal.SIGCHLD, 0, 0, 0, 0));

        Assert.Equal(before, _k.Host.ProcessCount);
        Assert.Empty(_p.Children);
    }

    [Fact]
    public void Do_NonRootBelowRlimitNproc_Succeeds()
    {
        _p.Uid = _p.Euid = 1000;
        _p.Limits.Set(ResourceLimits.RLIMIT_NPROC, 2, 2);

        ForkChild();

        Assert.Equal(Err(Errno.EAGAIN), Fork.Do(_t, (ulong)Signal.SIGCHLD, 0, 0, 0, 0));
    }

    [Fact]
    public void Do_RootAtRlimitNproc_IsExempt()
    {
        _p.Limits.Set(ResourceLimits.RLIMIT_NPROC, 1, 1);

        ForkChild();
    }

    [Theory]
    [InlineData(Fork.CLONE_THREAD | Fork.CLONE_VM | Fork.CLONE_SIGHAND)]
    [InlineData(Fork.CLONE_VM)]
    [InlineData(Fork.CLONE_FILES)]
    public void Do_SharingFlags_ReturnEnosys(ulong flags)
    {
        Assert.Equal(Err(Errno.ENOSYS), Fork.Do(_t, flags, 0, 0, 0, 0));
        Assert.Empty(_p.Children);
    }

    [Fact]
    public void Do_AddressSpaceCloneOutOfMemory_ReturnsEnomemAndCreatesNothing()
    {
        PagesOf(_p).FailNextClone = true;
        int before = _k.Host.ProcessCount;

        Assert.Equal(Err(Errno.ENOMEM), Fork.Do(_t, (ulong)Signal.SIGCHLD, 0, 0, 0, 0));

        Assert.Equal(before, _k.Host.ProcessCount);
    }

    [Fact]
    public void Do_Settid_WritesTheChildPidWhereEachSideAsked()
    {
        long pid = Fork.Do(_t, Fork.CLONE_CHILD_SETTID | Fork.CLONE_PARENT_SETTID | (ulong)Signal.SIGCHLD, 0, Data, Data + 8, 0);
        UserProcess child = _k.Host.Table.Find((int)pid)!;

        Assert.Equal(((int)pid, 0), (GetInt32(_p, Data), GetInt32(_p, Data + 8)));
        Assert.Equal((0, (int)pid), (GetInt32(child, Data), GetInt32(child, Data + 8)));
    }

    [Fact]
    public void Do_CloneWithStackAndTls_SetsTheChildsRspAndFsBase()
    {
        long pid = Fork.Do(_t, Fork.CLONE_SETTLS | Fork.CLONE_CHILD_CLEARTID | (ulong)Signal.SIGCHLD, 0x5000_0000, 0, Data + 16, 0x6000_0000);
        UserThread child = _k.Host.Table.Find((int)pid)!.MainThread;

        Assert.Equal((0x5000_0000UL, 0x6000_0000UL, Data + 16), (child.Registers.Rsp, child.Registers.FsBase, child.ClearChildTid));
    }

    [Fact]
    public void InvokeVfork_BehavesAsFork()
    {
        var task = Fork.InvokeVfork(_t, Args());
        Assert.True(task.IsCompleted); // the root cgroup: nothing to ask
        long pid = task.Result;

        Assert.True(pid > 0);
        Assert.NotSame(_p.Pages, _k.Host.Table.Find((int)pid)!.Pages);
    }

    [Fact]
    public void Do_Child_InheritsTheAlternateSignalStack()
    {
        _t.AltStackBase = Data;
        _t.AltStackSize = 2 * P;
        _t.AltStackFlags = 0;

        UserThread child = ForkChild().MainThread;

        Assert.Equal((Data, 2 * P, 0), (child.AltStackBase, child.AltStackSize, child.AltStackFlags));
    }

    [Fact]
    public void Do_NonRootWithAnUnreapedZombieAtRlimitNproc_ReturnsEagain()
    {
        _p.Uid = _p.Euid = 1000;
        _p.Limits.Set(ResourceLimits.RLIMIT_NPROC, 2, 2);
        UserProcess child = ForkChild();
        child.ExitGroup(WaitStatus.Exited(0));

        Assert.Equal(Err(Errno.EAGAIN), Fork.Do(_t, (ulong)Signal.SIGCHLD, 0, 0, 0, 0));
    }

    [Fact]
    public void Do_EffectiveRootAtRlimitNproc_IsExempt()
    {
        _p.Uid = 1000;
        _p.Euid = 0;
        _p.Limits.Set(ResourceLimits.RLIMIT_NPROC, 1, 1);

        Assert.True(Fork.Do(_t, (ulong)Signal.SIGCHLD, 0, 0, 0, 0) > 0);
    }
}
