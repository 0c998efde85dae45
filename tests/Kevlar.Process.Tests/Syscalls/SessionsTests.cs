// SessionsTests: setsid(2), setpgid(2), getpgid(2), getsid(2) — a group
// leader cannot start a session, a session leader cannot change group.
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class SessionsTests
{
    private readonly ProcessHarness _k = new();

    /// <summary>A process as fork leaves it: in its parent's group and session.</summary>
    private UserProcess Forked(UserProcess parent)
    {
        UserProcess p = _k.NewProcess(parent);
        p.ProcessGroup = parent.ProcessGroup;
        p.Session = parent.Session;
        return p;
    }

    [Fact]
    public void Setsid_GroupLeader_ReturnsEperm()
    {
        UserProcess p = _k.NewProcess();

        Assert.Equal(Err(Errno.EPERM), Sessions.Setsid(p.MainThread, Args()));
    }

    [Fact]
    public void Setsid_NotAGroupLeader_StartsASessionAndAGroup()
    {
        UserProcess child = Forked(_k.Init);

        Assert.Equal(child.Pid, Sessions.Setsid(child.MainThread, Args()));

        Assert.Equal((child.Pid, child.Pid), (child.Session, child.ProcessGroup));
        Assert.Equal(child.Pid, Sessions.Getsid(child.MainThread, Args(0)));
        Assert.Equal(child.Pid, Sessions.Getpgrp(child.MainThread, Args()));
    }

    [Fact]
    public void Setpgid_ZeroZero_MakesTheCallerAGroupLeader()
    {
        UserProcess child = Forked(_k.Init);

        Assert.Equal(0, Sessions.Setpgid(child.MainThread, Args(0, 0)));

        Assert.Equal(child.Pid, child.ProcessGroup);
        Assert.Equal(1, child.Session);
    }

    [Fact]
    public void Setpgid_SessionLeader_ReturnsEperm()
    {
        UserProcess p = _k.NewProcess();

        Assert.Equal(Err(Errno.EPERM), Sessions.Setpgid(p.MainThread, Args(0, 0)));
    }

    [Fact]
    public void Setpgid_NegativeGroup_ReturnsEinval()
    {
        UserProcess child = Forked(_k.Init);

        Assert.Equal(Err(Errno.EINVAL), Sessions.Setpgid(child.MainThread, Args(0, I(-5))));
    }

    [Fact]
    public void Setpgid_GroupThatDoesNotExist_ReturnsEperm()
    {
        UserProcess child = Forked(_k.Init);

        Assert.Equal(Err(Errno.EPERM), Sessions.Setpgid(child.MainThread, Args(0, 4242)));
    }

    [Fact]
    public void Setpgid_ExistingGroupOfTheSameSession_JoinsIt()
    {
        UserProcess leader = Forked(_k.Init);
        Assert.Equal(0, Sessions.Setpgid(leader.MainThread, Args(0, 0)));
        UserProcess other = Forked(_k.Init);

        Assert.Equal(0, Sessions.Setpgid(other.MainThread, Args(0, (ulong)leader.Pid)));

        Assert.Equal(leader.Pid, other.ProcessGroup);
    }

    [Fact]
    public void Getpgid_SelfOrZero_ReturnsTheGroup()
    {
        UserProcess child = Forked(_k.Init);

        Assert.Equal(1, Sessions.Getpgid(child.MainThread, Args(0)));
        Assert.Equal(1, Sessions.Getpgid(child.MainThread, Args((ulong)child.Pid)));
    }

    [Fact]
    public void GetpgidAndGetsid_NoSuchProcess_ReturnEsrch()
    {
        UserProcess p = _k.NewProcess();

        Assert.Equal(Err(Errno.ESRCH), Sessions.Getpgid(p.MainThread, Args(4242)));
        Assert.Equal(Err(Errno.ESRCH), Sessions.Getpgid(p.MainThread, Args(I(-1))));
        Assert.Equal(Err(Errno.ESRCH), Sessions.Getsid(p.MainThread, Args(4242)));
    }

    [Fact]
    public void Setpgid_OfAChild_MovesItIntoTheCallersNewJobGroup()
    {
        UserProcess shell = Forked(_k.Init);
        Sessions.Setsid(shell.MainThread, Args());
        UserProcess first = Forked(shell), second = Forked(shell);

        Assert.Equal(0, Sessions.Setpgid(shell.MainThread, Args((ulong)first.Pid, (ulong)first.Pid)));
        Assert.Equal(0, Sessions.Setpgid(shell.MainThread, Args((ulong)second.Pid, (ulong)first.Pid)));

        Assert.Equal((first.Pid, first.Pid), (first.ProcessGroup, second.ProcessGroup));
        Assert.Equal(first.Pid, Sessions.Getpgid(shell.MainThread, Args((ulong)second.Pid)));
        Assert.Equal(shell.Pid, Sessions.Getsid(shell.MainThread, Args((ulong)second.Pid)));
    }

    [Fact]
    public void Setpgid_OfAProcessThatIsNotAChild_ReturnsEsrch()
    {
        UserProcess a = Forked(_k.Init), b = Forked(_k.Init);

        Assert.Equal(Err(Errno.ESRCH), Sessions.Setpgid(a.MainThread, Args((ulong)b.Pid, 0)));
    }

    [Fact]
    public void Setpgid_OfAChildThatHasExeced_ReturnsEacces()
    {
        UserProcess parent = Forked(_k.Init);
        UserProcess child = Forked(parent);
        child.HasExeced = true;

        Assert.Equal(Err(Errno.EACCES), Sessions.Setpgid(parent.MainThread, Args((ulong)child.Pid, 0)));
    }

    [Fact]
    public void Setpgid_OfAChildInAnotherSession_ReturnsEperm()
    {
        UserProcess parent = Forked(_k.Init);
        UserProcess child = Forked(parent);
        Sessions.Setsid(child.MainThread, Args());

        Assert.Equal(Err(Errno.EPERM), Sessions.Setpgid(parent.MainThread, Args((ulong)child.Pid, 0)));
    }
}
