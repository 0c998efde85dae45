// PidNamespaceTests: PID namespaces (pid_namespaces(7)). unshare(CLONE_NEWPID)
// and clone(CLONE_NEWPID) make a namespace whose first process is its init
// (pid 1, parent 0); numbers cross the syscall boundary translated (getpid,
// fork's result, kill, wait4, getpgrp, SIGCHLD's si_pid); orphans go to the
// namespace's init; its exit kills the rest, is reported only after they are
// reaped, and later forks there are ENOMEM; signals to it from inside need a
// handler; setns and /proc follow the namespace. (qemu/user/process/pidns.c
// runs the same natively and on the kernel.)
using Kevlar.Process.Files;
using Kevlar.Process.Namespaces;
using Kevlar.Process.Signals;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class PidNamespaceTests
{
    private readonly ProcessHarness _k = new();

    private static long Getpid(UserProcess p) => Ids.Getpid(p.MainThread, Args());
    private static long Getppid(UserProcess p) => Ids.Getppid(p.MainThread, Args());
    private static long ForkOf(UserProcess p, ulong flags = 0) => Fork.Do(p.MainThread, flags | (ulong)Signal.SIGCHLD, 0, 0, 0, 0);
    // The child a fork made; frozen, so that the scheduler never runs its (absent) user code.
    private UserProcess Child(UserProcess parent, long forkResult)
    {
        UserProcess c = _k.Host.Table.Find(parent.PidNs.GlobalOf((int)forkResult))!;
        c.Frozen = true;
        return c;
    }

    // A process that unshared CLONE_NEWPID and the init its first fork made.
    private (UserProcess outer, UserProcess init) NewNamespace()
    {
        UserProcess outer = _k.NewProcess();
        Assert.Equal(0, _k.Call(outer, t => Unshare.Invoke(t, Args(Unshare.CLONE_NEWPID))));
        long pid = ForkOf(outer);
        Assert.True(pid > 0, "fork: " + pid);
        return (outer, Child(outer, pid));
    }

    [Fact]
    public void Unshare_TheNextChildIsInitOfTheNewNamespace_TheCallerStays()
    {
        var (outer, init) = NewNamespace();

        Assert.Equal(outer.Pid, Getpid(outer));                 // the caller keeps its namespace and pid
        Assert.Same(_k.Host.InitialPids, outer.PidNs);
        Assert.Equal(1, init.PidNs.Level);
        Assert.Equal(1, Getpid(init));
        Assert.Equal(0, Getppid(init));                         // its parent is outside
        Assert.Equal(init.Pid, _k.Host.InitialPids.NumberOf(init)); // the parent sees the kernel's number
        Assert.Same(init, init.PidNs.Init);

        long second = ForkOf(init);
        UserProcess c = Child(init, second);
        Assert.Equal(2, second);
        Assert.Equal(2, Getpid(c));
        Assert.Equal(1, Getppid(c));
        Assert.Equal(0, init.PidNs.NumberOf(outer));
        Assert.Equal(c.Pid, init.PidNs.GlobalOf(2));
    }

    [Fact]
    public void Unshare_Errors()
    {
        UserProcess user = _k.NewProcess(uid: 1000);
        Assert.Equal(Err(Errno.EPERM), _k.Call(user, t => Unshare.Invoke(t, Args(Unshare.CLONE_NEWPID))));

        UserProcess p = _k.NewProcess();
        Assert.Equal(0, _k.Call(p, t => Unshare.Invoke(t, Args(Unshare.CLONE_NEWPID))));
        Assert.Equal(Err(Errno.EINVAL), _k.Call(p, t => Unshare.Invoke(t, Args(Unshare.CLONE_NEWPID))));   // once until... for good
        Assert.Equal(Err(Errno.EINVAL), ForkOf(p, Unshare.CLONE_NEWPID));
        const ulong thread = Fork.CLONE_VM | Fork.CLONE_FS | Fork.CLONE_FILES | Fork.CLONE_SIGHAND | Fork.CLONE_THREAD;
        Assert.Equal(Err(Errno.EINVAL), Fork.Do(p.MainThread, thread, 0x2000, 0, 0, 0));                 // no thread in another namespace
        Assert.Equal(Err(Errno.EINVAL), Fork.Do(_k.NewProcess().MainThread, thread | Unshare.CLONE_NEWPID, 0x2000, 0, 0, 0));
    }

    [Fact]
    public void Clone_NewPid_NestsToLevel32_ThenEnospc()
    {
        UserProcess p = _k.NewProcess();
        for (int level = 1; level <= PidNamespace.MaxLevel; level++)
        {
            long pid = ForkOf(p, Unshare.CLONE_NEWPID);
            Assert.True(pid > 0, "level " + level + ": " + pid);
            p = Child(p, pid);
            Assert.Equal(level, p.PidNs.Level);
            Assert.Equal(1, Getpid(p));
        }
        Assert.Equal(Err(Errno.ENOSPC), ForkOf(p, Unshare.CLONE_NEWPID));
        Assert.Equal(Err(Errno.ENOSPC), _k.Call(p, t => Unshare.Invoke(t, Args(Unshare.CLONE_NEWPID))));
        Assert.Equal(PidNamespace.MaxLevel + 1, p.PidNumbers!.Length);
    }

    [Fact]
    public void Kill_AndWait_UseTheCallersNumbers()
    {
        var (_, init) = NewNamespace();
        UserProcess c = Child(init, ForkOf(init));

        Assert.Equal(Err(Errno.ESRCH), Kill.DoKill(init.MainThread, c.Pid == 2 ? 3 : c.Pid, 0)); // the kernel's number means nothing here
        Assert.Equal(0, Kill.DoKill(init.MainThread, 2, Signal.SIGTERM));
        _k.Run();
        Assert.True(c.Exited);

        Assert.Equal(2, _k.Call(init, t => Wait4.Do(t, 2, Scratch, 0, 0)));
        Assert.Equal(WaitStatus.Killed(Signal.SIGTERM, false), GetInt32(init, Scratch));
        UserProcess d = Child(init, ForkOf(init));
        d.ExitGroup(0);
        _k.Run();
        Assert.Equal(0, _k.Call(init, t => Waitid.Do(t, Waitid.P_PID, 3, Scratch, Waitid.WEXITED)));
        Assert.Equal(3, GetInt32(init, Scratch + 16));                      // si_pid in the parent's numbers
    }

    [Fact]
    public void ProcessGroupAndSession_LedFromOutside_ReadAsZero_UntilSetsid()
    {
        var (_, init) = NewNamespace();
        Assert.Equal(0, Sessions.Getpgrp(init.MainThread, Args()));
        Assert.Equal(0, Sessions.Getsid(init.MainThread, Args(0)));
        Assert.Equal(1, Sessions.Setsid(init.MainThread, Args()));
        Assert.Equal(1, Sessions.Getpgrp(init.MainThread, Args()));
        UserProcess c = Child(init, ForkOf(init));
        Assert.Equal(1, Sessions.Getpgid(c.MainThread, Args(0)));
        Assert.Equal(0, Sessions.Setpgid(init.MainThread, Args(2, 0)));   // the child leads a group, by its number here
        Assert.Equal(2, Sessions.Getpgid(init.MainThread, Args(2)));
        Assert.Equal(c.Pid, c.ProcessGroup);
        Assert.Equal(c.Pid, Sessions.Getpgid(_k.NewProcess().MainThread, Args((ulong)c.Pid)));   // the first namespace sees the kernel's numbers
    }

    [Fact]
    public void Orphans_GoToTheNamespacesInit()
    {
        var (_, init) = NewNamespace();
        UserProcess middle = Child(init, ForkOf(init));
        UserProcess orphan = Child(middle, ForkOf(middle));
        middle.ExitGroup(0);
        _k.Run();

        Assert.Same(init, orphan.Parent);
        Assert.Equal(1, Getppid(orphan));
        Assert.Contains(orphan, init.Children);
    }

    [Fact]
    public void InitExit_KillsTheRest_IsReportedAfterTheyAreReaped_ThenForksAreEnomem()
    {
        var (outer, init) = NewNamespace();
        UserProcess a = Child(init, ForkOf(init));
        UserProcess b = Child(a, ForkOf(a));

        init.ExitGroup(WaitStatus.Exited(5));
        _k.Run();

        Assert.True(a.Exited && b.Exited);
        Assert.True(a.Reaped && b.Reaped);                  // reaped inside, not left to anyone outside
        Assert.Contains(init, outer.Zombies);               // and only then is the init a zombie of its parent
        Assert.DoesNotContain(a, _k.Init.Zombies);
        Assert.True(init.PidNs.Dying);
        Assert.Equal(Err(Errno.ENOMEM), ForkOf(outer));      // its children would go into the dead namespace
    }

    [Fact]
    public void InitExit_WaitsForAChildOfAnOutsideParent()
    {
        var (outer, init) = NewNamespace();
        // setns into the namespace: outer's next child is in it, but outer's child, not init's.
        UserProcess joiner = _k.NewProcess();
        joiner.MainThread.PidsForChildren = init.PidNs;
        UserProcess inside = Child(joiner, ForkOf(joiner));
        Assert.Equal(2, init.PidNs.NumberOf(inside));
        Assert.Equal(0, Getppid(inside));

        init.ExitGroup(0);
        _k.Run();
        Assert.True(inside.Exited);
        Assert.DoesNotContain(init, outer.Zombies);         // the zombie outside still counts
        Assert.Equal(inside.Pid, _k.Call(joiner, t => Wait4.Do(t, -1, 0, 0, 0)));
        _k.Run();
        Assert.Contains(init, outer.Zombies);
    }

    [Fact]
    public void SignalsToTheInit_FromInsideNeedAHandler_SigkillFromAboveKills()
    {
        var (outer, init) = NewNamespace();
        UserProcess c = Child(init, ForkOf(init));

        Assert.Equal(0, Kill.DoKill(c.MainThread, 1, Signal.SIGKILL));
        Assert.Equal(0, Kill.DoKill(c.MainThread, 1, Signal.SIGTERM));
        _k.Run();
        Assert.False(init.Exited);

        Assert.Equal(0, Kill.DoKill(outer.MainThread, init.Pid, Signal.SIGTERM));   // not forced: only SIGKILL and SIGSTOP are
        _k.Run();
        Assert.False(init.Exited);
        Assert.Equal(0, Kill.DoKill(outer.MainThread, init.Pid, Signal.SIGKILL));
        _k.Run();
        Assert.True(init.Exited);
        Assert.True(c.Reaped);
    }

    [Fact]
    public void SignalToTheInit_PendingWhileBlocked_IsDroppedWhenUnblocked()
    {
        var (_, init) = NewNamespace();
        UserProcess c = Child(init, ForkOf(init));
        init.MainThread.SignalMask = 1UL << (Signal.SIGTERM - 1);       // as musl's fork wrapper blocks all
        Assert.Equal(0, Kill.DoKill(c.MainThread, 1, Signal.SIGTERM));
        _k.Run();
        Assert.NotEqual(0UL, init.MainThread.PendingSignals);
        init.MainThread.SignalMask = 0;
        _k.OnCpu(init.MainThread.Home, () => SignalDelivery.DeliverPending(init.MainThread));
        Assert.False(init.Exited);
        Assert.Equal(0UL, init.MainThread.PendingSignals);
    }

    [Fact]
    public void Setns_IntoTheOwnOrADescendantNamespace_NotASibling()
    {
        var (_, init) = NewNamespace();
        var (_, other) = NewNamespace();
        UserProcess p = _k.NewProcess();
        long own = _k.Call(p, t => Open.Do(t, PathLookup.AT_FDCWD, PutString(p, Scratch, "/proc/" + init.Pid + "/ns/pid"), OpenFlags.O_RDONLY, 0));
        Assert.True(own >= 0, "open: " + own);
        Assert.Equal(0, _k.Call(p, t => Setns.Invoke(t, Args((ulong)own, Unshare.CLONE_NEWPID))));
        Assert.Same(init.PidNs, p.MainThread.PidsForChildren);
        Assert.Same(_k.Host.InitialPids, p.PidNs);

        long sibling = _k.Call(init, t => Open.Do(t, PathLookup.AT_FDCWD, PutString(init, Scratch + 0x100, "/proc/" + other.Pid + "/ns/pid"), OpenFlags.O_RDONLY, 0));
        Assert.True(sibling >= 0, "open: " + sibling);
        Assert.Equal(Err(Errno.EINVAL), _k.Call(init, t => Setns.Invoke(t, Args((ulong)sibling, 0))));
    }

    [Fact]
    public void Proc_MountedInTheNamespace_ShowsItsNumbers()
    {
        var (_, init) = NewNamespace();
        UserProcess c = Child(init, ForkOf(init));
        Assert.Equal(0, _k.Call(init, t => Unshare.Invoke(t, Args(Fork.CLONE_NEWNS))));
        PutString(init, Scratch, "proc");
        PutString(init, Scratch + 0x10, "/proc");
        Assert.Equal(0, _k.Call(init, t => MountCall.InvokeMount(t, Args(Scratch, Scratch + 0x10, Scratch, 0, 0))));

        string status = ReadFile(init, "/proc/2/status");
        Assert.Contains("\nPid:\t2\n", status);
        Assert.Contains("\nPPid:\t1\n", status);
        Assert.Contains("\nNSpid:\t2\n", status);
        Assert.Equal("1", ReadLink(init, "/proc/self"));
        Assert.Equal(Err(Errno.ENOENT), OpenPath(init, "/proc/" + c.Pid + "/status"));   // the kernel's number is not a name here
        string outside = ReadFile(_k.NewProcess(), "/proc/" + c.Pid + "/status");                 // the first procfs: every level
        Assert.Contains("\nNSpid:\t" + c.Pid + "\t2\n", outside);
    }

    private long OpenPath(UserProcess p, string path)
        => _k.Call(p, t => Open.Do(t, PathLookup.AT_FDCWD, PutString(p, Scratch + 0x800, path), OpenFlags.O_RDONLY, 0));

    private string ReadFile(UserProcess p, string path)
    {
        long fd = OpenPath(p, path);
        Assert.True(fd >= 0, path + ": " + fd);
        long n = _k.Call(p, t => ReadWrite.Read(t, Args((ulong)fd, Scratch + 0x1000, 0x1000)));
        Assert.True(n > 0, "read " + path + ": " + n);
        return GetString(p, Scratch + 0x1000, (int)n);
    }

    private string ReadLink(UserProcess p, string path)
    {
        long n = _k.Call(p, t => Readlink.InvokeReadlink(t, Args(PutString(p, Scratch + 0x800, path), Scratch + 0x1000, 64)));
        Assert.True(n > 0, "readlink " + path + ": " + n);
        return GetString(p, Scratch + 0x1000, (int)n);
    }
}
